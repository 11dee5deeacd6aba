using System.Text.Json.Nodes;
using StreamingBeam.Samples.Console.Imaging;
using StreamingBeam.Samples.Web.Extraction;
using StreamingBeam.Testing;

namespace StreamingBeam.Samples.Web.Tests.Infrastructure;

/// <summary>An extraction engine factory whose extractors wait on one <see cref="CallGate"/>: <c>fast</c> and
/// <c>slow</c> by default. It counts the engines it made, so a test can tell that a rejected request started nothing
/// and that a reconnect did not start a second run.</summary>
internal sealed class GatedExtraction : IExtractionEngineFactory
{
    private readonly string[] _names;
    private int _created;

    public GatedExtraction(params string[] names) => _names = names.Length == 0 ? ["fast", "slow"] : names;

    public CallGate Gate { get; } = new();

    public List<GatedExtractor> Extractors { get; } = [];

    public int Created => Volatile.Read(ref _created);

    /// <summary>Gets the decoded images the engines were made for, in order.</summary>
    public List<DecodedImage> Images { get; } = [];

    public ExtractionEngine Create(DecodedImage image)
    {
        lock (Images)
        {
            Images.Add(image);
        }

        var run = Interlocked.Increment(ref _created);

        // One gate key per extractor and run, because a key admits one call: the first run uses the bare names.
        var extractors = _names.Select(name => new GatedExtractor(name, Gate, run == 1 ? name : $"{name}#{run}")
        {
            Result = (_, _) => ValueTask.FromResult(new JsonObject { [name] = new JsonObject { ["value"] = name } }),
        }).ToList();
        lock (Extractors)
        {
            Extractors.AddRange(extractors);
        }

        return new ExtractionEngine(extractors.Select(e => new ExtractorRegistration(e)));
    }
}
