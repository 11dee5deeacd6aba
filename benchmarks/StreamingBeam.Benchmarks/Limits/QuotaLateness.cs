namespace StreamingBeam.Benchmarks.Limits;

/// <summary>Where a run's wall time exceeds its <see cref="QuotaBound"/>, in the bound's three parts: the images started
/// waiting later than the head allows (slow first prompts: timers, a busy machine, caps on the LLM), the bucket admitted
/// the rest later than its rate allows (tokens lost while images waited), and the search ended later after its last image
/// was admitted than the tail allows (the last image was a slow one, the scores waited, a barrier). The three add up to
/// wall time minus the bound.</summary>
/// <param name="Start">The first waiting spell's start minus the bound's head (zero if no image ever waited).</param>
/// <param name="Admission">The last acceptance minus the first spell's start, minus the bound's admission time.</param>
/// <param name="Tail">The wall time minus the last acceptance, minus the bound's tail.</param>
internal readonly record struct QuotaLateness(TimeSpan Start, TimeSpan Admission, TimeSpan Tail)
{
    public static QuotaLateness Of(ImageCalls calls, TimeSpan wall, QuotaBound bound)
    {
        var waiting = calls.Waiting();
        var start = waiting.Count > 0 ? waiting[0].From : bound.Head;
        var last = calls.AcceptedAt.Count > 0 ? calls.AcceptedAt[^1] : start;
        return new QuotaLateness(start - bound.Head, last - start - bound.Admission, wall - last - bound.Tail);
    }
}
