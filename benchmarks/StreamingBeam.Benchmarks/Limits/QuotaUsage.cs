namespace StreamingBeam.Benchmarks.Limits;

/// <summary>How a run used a token-bucket quota while its images waited, and how its 429s group into cooldowns.</summary>
/// <remarks>
/// <para>
/// <b>Utilisation while images wait.</b> <c>Waiting</c> is the time during which at least one image was ready (its lane
/// had the prompt) and not yet accepted by the provider: a union of spells. The provider's bucket is replayed from the
/// times it accepted calls: full (<c>burst</c> tokens) at time zero, refilled continuously at <c>rate</c> up to
/// <c>burst</c>, one token per accepted call (refusals take none). During a spell <c>[s, e]</c> the quota offered the
/// waiting images the tokens it made, <c>rate * (e - s)</c>, and those in the bucket at <c>s</c> that it had not
/// offered already (the level at <c>s</c> minus what the previous spell left in the bucket); the images used the calls
/// accepted in <c>[s, e]</c>. Utilisation is used over offered, summed over the spells.
/// </para>
/// <para>
/// Tokens offered and not used were discarded at the cap while images waited, or were still in the bucket when the
/// waiting ended: exactly the tokens that make a quota-bound run longer than its bound. A caller that hands each
/// waiting call to the provider the moment a token appears scores 1; a pause or pace longer than the provider needs,
/// a back-off, a cap or a late timer scores less. A token left at the end of one spell and used in the next counts as
/// used, once.
/// </para>
/// <para>
/// <b>Cooldowns.</b> A refusal announces a pause: no token before its time plus its <c>Retry-After</c>. A refusal that
/// arrives after every pause announced so far has ended starts a new cooldown; one that arrives during an announced pause
/// belongs to that cooldown (a call that went out although the provider had said to wait). So "at most one 429 per
/// cooldown" means no call ever went out into a pause the provider had announced.
/// </para>
/// </remarks>
internal static class QuotaUsage
{
    /// <summary>Gets the replayed bucket's level just before <paramref name="at"/> (before any call accepted at that instant).</summary>
    /// <param name="acceptedAt">When the provider accepted each call, in order.</param>
    /// <param name="perSecond">Tokens added per second.</param>
    /// <param name="burst">The bucket's capacity, and its level at time zero.</param>
    /// <param name="at">The time.</param>
    public static double LevelBefore(IReadOnlyList<TimeSpan> acceptedAt, double perSecond, int burst, TimeSpan at) =>
        Level(acceptedAt, perSecond, burst, at, afterCallsAt: false);

    /// <summary>Gets the replayed bucket's level at <paramref name="at"/>, before or after the calls accepted at that instant.</summary>
    private static double Level(IReadOnlyList<TimeSpan> acceptedAt, double perSecond, int burst, TimeSpan at, bool afterCallsAt)
    {
        var level = (double)burst;
        var last = TimeSpan.Zero;
        foreach (var accepted in acceptedAt)
        {
            if (accepted > at || (accepted == at && !afterCallsAt))
            {
                break;
            }

            // The provider accepted the call, so it found a token (up to the clock's rounding).
            level = Math.Max(1, Math.Min(burst, level + (perSecond * (accepted - last).TotalSeconds))) - 1;
            last = accepted;
        }

        return Math.Min(burst, level + (perSecond * (at - last).TotalSeconds));
    }

    /// <summary>Gets the utilisation of the quota while images waited (see the remarks).</summary>
    public static QuotaUtilisation Utilisation(ImageCalls calls, double perSecond, int burst)
    {
        var offered = 0.0;
        var used = 0;
        var waited = TimeSpan.Zero;
        var leftover = 0.0;
        foreach (var spell in calls.Waiting())
        {
            var level = LevelBefore(calls.AcceptedAt, perSecond, burst, spell.From);
            offered += Math.Max(0, level - leftover) + (perSecond * spell.Length.TotalSeconds);
            used += calls.AcceptedAt.Count(a => a >= spell.From && a <= spell.To);
            waited += spell.Length;
            leftover = Level(calls.AcceptedAt, perSecond, burst, spell.To, afterCallsAt: true);
        }

        return new QuotaUtilisation(offered == 0 ? 1.0 : used / offered, waited, offered - used);
    }

    /// <summary>Groups refusals into cooldowns (see the remarks).</summary>
    public static CooldownCount Cooldowns(IEnumerable<ImageAttempt> refusals)
    {
        var cooldowns = 0;
        var most = 0;
        var inThis = 0;
        var pausedUntil = TimeSpan.MinValue;
        foreach (var refusal in refusals.OrderBy(r => r.At))
        {
            if (refusal.At >= pausedUntil)
            {
                cooldowns++;
                inThis = 0;
            }

            inThis++;
            most = Math.Max(most, inThis);
            var until = refusal.At + refusal.RetryAfter;
            pausedUntil = until > pausedUntil ? until : pausedUntil;
        }

        return new CooldownCount(cooldowns, most);
    }
}

/// <summary>The quota's utilisation while images waited.</summary>
/// <param name="Value">Tokens used over tokens the quota offered while images waited.</param>
/// <param name="Waiting">How long at least one image waited.</param>
/// <param name="TokensLost">Tokens offered and not used: discarded at the cap while images waited, or left in the bucket.</param>
internal readonly record struct QuotaUtilisation(double Value, TimeSpan Waiting, double TokensLost);

/// <summary>Refusals grouped into cooldowns.</summary>
/// <param name="Cooldowns">How many cooldowns the refusals started.</param>
/// <param name="MostRefusalsInOne">The most refusals in one cooldown (0 without refusals).</param>
internal readonly record struct CooldownCount(int Cooldowns, int MostRefusalsInOne);
