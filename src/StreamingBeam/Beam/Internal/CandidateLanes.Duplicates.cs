using StreamingBeam.Diagnostics;
using StreamingBeam.Logging;
using static StreamingBeam.Beam.Internal.ProviderOutputChecks;

namespace StreamingBeam.Beam.Internal;

/// <summary>The lanes' side of "no prompt rendered twice": claiming prompts, asking again, giving up a slot.</summary>
internal sealed partial class CandidateLanes
{
    /// <summary>Claims the lane's WHAT and HOW (<see cref="PromptRegistry"/>); while another candidate has them, asks again
    /// for <paramref name="reask"/> (at most <see cref="BeamSearchOptions.MaxDuplicateRetries"/> times), telling the model
    /// which texts to avoid.</summary>
    /// <returns>The lane's prompts, or the candidate they kept repeating.</returns>
    private async Task<PromptClaim> ClaimPromptsAsync(
        IterationRun run,
        string id,
        string what,
        string how,
        PromptDimension reask,
        Func<int, IReadOnlyList<string>, CancellationToken, Task<LlmResponse>> askAgain,
        CancellationToken cancellationToken)
    {
        ProviderUsage usage = default;
        List<string>? avoid = null;
        for (var attempt = 0; ; attempt++)
        {
            if (context.Prompts.TryClaimPair(what, how, id) is not { } owner)
            {
                return new PromptClaim(what, how, usage, null);
            }

            context.Ledger.CountDuplicate(run.Number);
            if (attempt == context.Options.MaxDuplicateRetries)
            {
                return new PromptClaim(what, how, usage, owner);
            }

            (avoid ??= []).Add(reask == PromptDimension.What ? what : how);
            var again = await askAgain(attempt + 1, avoid.ToArray(), cancellationToken).ConfigureAwait(false);
            usage += again.Usage;
            (what, how) = reask == PromptDimension.What ? (again.Text, how) : (what, again.Text);
        }
    }

    private LaneEnd Skip(LanePrompts lane, string duplicateOf)
    {
        BeamSearchLog.CandidateSkipped(context.Logger, lane.Id, duplicateOf);
        context.Publish(new CandidateSkippedEvent(lane.Iteration, context.Elapsed, lane.Id, lane.ParentId, duplicateOf));
        return new LaneEnd(null, Skipped: true);
    }

    /// <summary>The prompts a lane claimed, what asking again cost, or the candidate it kept repeating.</summary>
    private readonly record struct PromptClaim(string What, string How, ProviderUsage Usage, string? DuplicateOf);
}
