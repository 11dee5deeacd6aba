namespace StreamingBeam.Tests.Providers.Polly;

/// <summary>An image provider that answers each call as the test's script says (by call number, from 1), counts its
/// calls, and keeps the token of each.</summary>
internal sealed class ScriptedImages(Func<int, CancellationToken, Task<GeneratedImage>> answer) : IImageGenerator
{
    private readonly List<CancellationToken> _tokens = [];
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public IReadOnlyList<CancellationToken> Tokens
    {
        get
        {
            lock (_tokens)
            {
                return [.. _tokens];
            }
        }
    }

    public static GeneratedImage Image => new() { Data = new byte[] { 1, 2, 3 }, MediaType = "image/png" };

    public static ProviderException Unavailable(int call) =>
        new($"ImageApi.GenerateAsync failed on call {call}: 503 Service Unavailable.") { Operation = "ImageApi.GenerateAsync", StatusCode = 503 };

    public Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default)
    {
        var call = Interlocked.Increment(ref _calls);
        lock (_tokens)
        {
            _tokens.Add(cancellationToken);
        }

        return answer(call, cancellationToken);
    }
}
