using System.Collections.Concurrent;

namespace StreamingBeam.Redis.Tests.Quotas;

/// <summary>Every image call that reached a provider, on any host, in the order they started: a logical clock shared by
/// the hosts (one counter), so the test counts calls without reading a wall clock.</summary>
internal sealed class ImageCallLog
{
    private readonly ConcurrentQueue<ImageCall> _calls = new();
    private long _clock;

    public IReadOnlyList<ImageCall> Calls => [.. _calls.OrderBy(c => c.Tick)];

    public CountSignal Count { get; } = new();

    public void Started(string host, string prompt)
    {
        _calls.Enqueue(new ImageCall(Interlocked.Increment(ref _clock), host, prompt));
        Count.Increment();
    }

    public int CountFor(string host) => _calls.Count(c => c.Host == host);
}

internal sealed record ImageCall(long Tick, string Host, string Prompt);

/// <summary>Records each call that gets past the engine's limits into the host's image generator.</summary>
internal sealed class RecordingImageGenerator(IImageGenerator inner, ImageCallLog log, string host) : DelegatingImageGenerator(inner)
{
    public override Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default)
    {
        log.Started(host, prompt);
        return base.GenerateAsync(prompt, cancellationToken);
    }
}
