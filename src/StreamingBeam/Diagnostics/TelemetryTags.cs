namespace StreamingBeam.Diagnostics;

/// <summary>Span and metric tag names: OpenTelemetry's where one fits, <c>streamingbeam.*</c> for the rest.</summary>
internal static class TelemetryTags
{
    public const string ErrorType = "error.type";

    public const string GenAiOperationName = "gen_ai.operation.name";

    public const string GenAiInputTokens = "gen_ai.usage.input_tokens";

    public const string GenAiOutputTokens = "gen_ai.usage.output_tokens";

    public const string Stage = "streamingbeam.stage";

    public const string Iteration = "streamingbeam.iteration";

    public const string CandidateId = "streamingbeam.candidate.id";

    public const string ParentCandidateId = "streamingbeam.candidate.parent_id";

    public const string CandidateTotal = "streamingbeam.candidate.total";

    public const string BeamWidth = "streamingbeam.beam.width";

    public const string KeepTop = "streamingbeam.beam.keep_top";

    public const string MaxIterations = "streamingbeam.beam.max_iterations";

    public const string StopReason = "streamingbeam.beam.stop_reason";

    public const string IterationsCompleted = "streamingbeam.beam.iterations";

    public const string CandidatesScored = "streamingbeam.beam.candidates_scored";

    public const string CandidatesFailed = "streamingbeam.beam.candidates_failed";

    public const string ExtractionMode = "streamingbeam.extraction.mode";

    public const string ExtractorCount = "streamingbeam.extraction.extractor_count";

    public const string ExtractorsCompleted = "streamingbeam.extraction.completed";

    public const string ExtractorName = "streamingbeam.extractor.name";

    public const string ExtractionStatus = "streamingbeam.extraction.status";

    public const string SkipReason = "streamingbeam.extraction.skip_reason";

    public const string ArtifactName = "streamingbeam.artifact.name";
}
