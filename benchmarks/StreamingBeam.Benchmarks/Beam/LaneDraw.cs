namespace StreamingBeam.Benchmarks.Beam;

/// <summary>The latencies one candidate lane waits on, as the simulated providers draw them.</summary>
/// <param name="Iteration">The lane's iteration.</param>
/// <param name="Id">The candidate's id.</param>
/// <param name="ParentId">The parent's id, or <see langword="null"/> in iteration 0.</param>
/// <param name="VariantIndex">The candidate's variant index: its place in iteration 0 or among its parent's children.</param>
/// <param name="ExpandWhat">Iteration 0: the WHAT expansion; otherwise zero.</param>
/// <param name="ExpandHow">Iteration 0: the HOW expansion; otherwise zero.</param>
/// <param name="Critique">Later iterations: the critique of the lane's parent (shared with its siblings); otherwise zero.</param>
/// <param name="Refine">Later iterations: the refinement; otherwise zero.</param>
/// <param name="Combine">The combine call.</param>
/// <param name="Image">The image generation.</param>
/// <param name="Alignment">The alignment score.</param>
/// <param name="Aesthetic">The aesthetic score.</param>
internal readonly record struct LaneDraw(
    int Iteration,
    string Id,
    string? ParentId,
    int VariantIndex,
    TimeSpan ExpandWhat,
    TimeSpan ExpandHow,
    TimeSpan Critique,
    TimeSpan Refine,
    TimeSpan Combine,
    TimeSpan Image,
    TimeSpan Alignment,
    TimeSpan Aesthetic)
{
    /// <summary>Gets the lane's prompt step: both expansions at once, or its parent's critique then its refinement.</summary>
    public TimeSpan Prompt => Iteration == 0 ? Max(ExpandWhat, ExpandHow) : Critique + Refine;

    /// <summary>Gets the two scores, which run at once.</summary>
    public TimeSpan Scores => Max(Alignment, Aesthetic);

    /// <summary>Gets the lane's whole chain when nothing but its own inputs holds it back.</summary>
    public TimeSpan Chain => Prompt + Combine + Image + Scores;

    /// <summary>Gets what follows the prompt step's first barrier in the seed pattern: the refinement (if any), then
    /// combine, image and scores.</summary>
    public TimeSpan AfterFirstStep => Refine + Combine + Image + Scores;

    /// <summary>Gets the first step the seed pattern waits for across all lanes: both expansions, or the critique.</summary>
    public TimeSpan FirstStep => Iteration == 0 ? Max(ExpandWhat, ExpandHow) : Critique;

    public static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
