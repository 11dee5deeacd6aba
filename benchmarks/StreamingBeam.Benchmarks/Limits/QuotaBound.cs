using StreamingBeam.Benchmarks.Beam;

namespace StreamingBeam.Benchmarks.Limits;

/// <summary>The least wall time any orchestration of the search can take against a token-bucket image quota: the first
/// image cannot be asked for before the fastest lane has its prompt (the head), the bucket cannot admit the images
/// after its burst faster than its rate, and the last image admitted still has to render and be scored (the tail).</summary>
/// <remarks>
/// <para>
/// <c>Bound = Head + (Images - Burst) / Rate + Tail</c>, where
/// <c>Head</c> is the shortest prompt-and-combine of iteration 0 (both expansions, then the combine): no image call is
/// possible earlier, and the bucket, full at time zero, cannot hold more than <c>Burst</c> tokens meanwhile;
/// so the last of the <c>Images</c> calls cannot be admitted before <c>Head + (Images - Burst) / Rate</c>.
/// <c>Tail</c> is the shortest image plus longer score among the last iteration's lanes: the last image admitted belongs
/// to the last iteration (at least one of its lanes starts only at the previous ranking, after every earlier image) and
/// still renders and is scored. Every strategy makes exactly these calls (the draws), so the bound is the same for all.
/// </para>
/// <para>
/// It is a lower bound, not a schedule: it ignores the ranking barriers, which the burst absorbs when the quota is the
/// bottleneck (a gap of up to <c>Burst / Rate</c> costs the bucket nothing). <see cref="QuotaTime"/>, the images over the
/// rate, is the shorter form.
/// </para>
/// </remarks>
internal readonly record struct QuotaBound(int Images, double PerSecond, int Burst, TimeSpan Head, TimeSpan Tail)
{
    /// <summary>Gets the time the bucket needs to admit the images after its burst.</summary>
    public TimeSpan Admission => TimeSpan.FromSeconds(Math.Max(0, Images - Burst) / PerSecond);

    /// <summary>Gets the bound: head, admission, tail.</summary>
    public TimeSpan Value => Head + Admission + Tail;

    /// <summary>Gets the images over the rate, without burst, head or tail.</summary>
    public TimeSpan QuotaTime => TimeSpan.FromSeconds(Images / PerSecond);

    public static QuotaBound Of(BeamDraws draws, double perSecond, int burst)
    {
        var first = draws.Iterations[0];
        var last = draws.Iterations[^1];
        return new QuotaBound(
            draws.Iterations.Sum(lanes => lanes.Length),
            perSecond,
            burst,
            first.Min(l => l.Prompt + l.Combine),
            last.Min(l => l.Image + l.Scores));
    }
}
