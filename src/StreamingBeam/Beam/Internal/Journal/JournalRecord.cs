using System.Text.Json.Serialization;

namespace StreamingBeam.Beam.Internal;

/// <summary>One entry of a search's checkpoint journal: the header, the outcome of one provider call, or a ranking.</summary>
/// <remarks>
/// Each record is written once, as one line of UTF-8 JSON whose first property, <c>kind</c>, names its type. The journal
/// is append-only: a record is never rewritten, so saving a candidate's progress costs the same however long the search.
/// </remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(HeaderRecord), "header")]
[JsonDerivedType(typeof(TextStepRecord), "text")]
[JsonDerivedType(typeof(ImageStepRecord), "image")]
[JsonDerivedType(typeof(ScoreStepRecord), "score")]
[JsonDerivedType(typeof(FailedStepRecord), "failure")]
[JsonDerivedType(typeof(RankingRecord), "ranking")]
internal abstract class JournalRecord
{
    /// <summary>Gets what the record is, as errors name it.</summary>
    [JsonIgnore]
    public abstract string Kind { get; }
}
