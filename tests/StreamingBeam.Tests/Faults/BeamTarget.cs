namespace StreamingBeam.Tests.Faults;

/// <summary>The one call a per-stage test faults, and the candidates that fault must cost.</summary>
/// <remarks>With the default fault-test options (width 4, keep 2) the first iteration's candidates score
/// 0.9, 0.8, 0.7, 0.6, so c0-0 and c0-1 become the parents and c0-0's children are c1-0.0 and c1-0.1.</remarks>
internal sealed record BeamTarget(BeamStage Stage, string Subject, int Iteration, string[] FailedCandidates)
{
    public static BeamTarget For(BeamStage stage) => stage switch
    {
        // Candidate c0-1's content expansion.
        BeamStage.Expand => new(stage, FaultyBeamProviders.Root(PromptDimension.What, 1), 0, ["c0-1"]),

        // The critique of the best parent: both its children fail at the Critique stage.
        BeamStage.Critique => new(stage, FaultyBeamProviders.CritiqueSubject(FaultyBeamProviders.RootPair(0), 1), 1, ["c1-0.0", "c1-0.1"]),

        // The first child of the best parent.
        BeamStage.Refine => new(stage, FaultyBeamProviders.RefineSubject(FaultyBeamProviders.RootPair(0), 1, 0), 1, ["c1-0.0"]),

        // Combine, Image, Alignment, Aesthetic of candidate c0-1.
        _ => new(stage, FaultyBeamProviders.RootPair(1), 0, ["c0-1"]),
    };

    public static IEnumerable<BeamStage> AllStages => Enum.GetValues<BeamStage>();

    public bool Matches(ProviderCall call) => call.Operation == Stage.ToString() && call.Subject == Subject;

    /// <summary>Gets the candidates of <see cref="Iteration"/> that are not in <see cref="FailedCandidates"/> (in
    /// iteration 1, the children of parents c0-0 and c0-1, half of the width each).</summary>
    public IEnumerable<string> Others(int beamWidth) =>
        Enumerable.Range(0, beamWidth)
            .Select(i => Iteration == 0 ? $"c0-{i}" : $"c1-{i / (beamWidth / 2)}.{i % (beamWidth / 2)}")
            .Except(FailedCandidates);
}
