using System.Text.Json.Serialization;

namespace StreamingBeam.Beam.Internal;

/// <summary>The first record of a journal: what the search is (format version, id, prompt, options) and when it started.</summary>
internal sealed class HeaderRecord : JournalRecord
{
    [JsonIgnore]
    public override string Kind => "header";

    public int FormatVersion { get; init; } = BeamCheckpoint.CurrentFormatVersion;

    public required string CheckpointId { get; init; }

    public required string Prompt { get; init; }

    public required BeamSearchOptions Options { get; init; }

    public required DateTimeOffset StartedAt { get; init; }
}
