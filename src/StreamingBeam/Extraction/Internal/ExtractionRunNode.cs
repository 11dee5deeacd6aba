using System.Text.Json.Nodes;

namespace StreamingBeam.Extraction.Internal;

/// <summary>One extractor's state within one run; also the <see cref="ExtractionContext"/> it is called with, so a
/// run allocates one object per extractor.</summary>
/// <remarks>The mutable fields are guarded by the run's lock.</remarks>
internal sealed class ExtractionRunNode : ExtractionContext
{
    private readonly ExtractionRun _run;

    public ExtractionRunNode(ExtractionRun run, ExtractorPlan plan)
    {
        _run = run;
        Plan = plan;
    }

    public enum NodeState
    {
        Waiting,
        Ready,
        Running,
        Done,
    }

    public ExtractorPlan Plan { get; }

    public int PendingDependencies { get; set; }

    public NodeState State { get; set; }

    public ExtractionStatus Status { get; set; }

    public JsonObject? Result { get; set; }

    public override ExtractionInput Input => _run.Input;

    public override ValueTask<T> GetArtifactAsync<T>(ArtifactKey<T> key, CancellationToken cancellationToken = default) =>
        _run.GetArtifactAsync(key, cancellationToken);

    public override JsonObject? GetDependencyResult(string extractorName)
    {
        ArgumentNullException.ThrowIfNull(extractorName);
        return _run.GetDependencyResult(this, extractorName);
    }

    public override void PublishProvisional(JsonObject tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        _run.PublishProvisional(this, tokens);
    }
}
