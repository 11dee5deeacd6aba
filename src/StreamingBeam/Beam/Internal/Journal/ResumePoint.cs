namespace StreamingBeam.Beam.Internal;

/// <summary>Where a resumed search starts: the state after its last recorded ranking, and the calls recorded after it.</summary>
internal sealed record ResumePoint(BeamCheckpoint Checkpoint, ResumePlan Plan);
