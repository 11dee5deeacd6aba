namespace StreamingBeam.Beam.Internal;

/// <summary>Names one provider call of a search the same way in every run of it: the iteration it is for, its stage,
/// its subject (the candidate, or for a critique the parent) and, for an expansion, the dimension.</summary>
/// <remarks>A resumed search asks for the same steps as the interrupted one (ids never depend on timing), so a key is
/// how it finds the answers the journal already holds. A lane asks for one key at a time; a key asked again (a later
/// attempt at the same step) takes the next answer recorded under it, in the order they were recorded.</remarks>
internal readonly record struct StepKey(int Iteration, BeamStage Stage, string Subject, PromptDimension? Dimension);
