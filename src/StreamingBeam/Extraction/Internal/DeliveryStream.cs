using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using StreamingBeam.Diagnostics;

namespace StreamingBeam.Extraction.Internal;

/// <summary>Turns one run's deliveries into what the consumer reads: coalesced within the window when asked, cut at the
/// first update <see cref="ExtractionRunOptions.StopWhen"/> accepts, and ended with the run's error or the caller's
/// cancellation.</summary>
/// <remarks>The run decides what happened and in which order; this decides only how and when the consumer sees it. The
/// first update is never delayed by coalescing.</remarks>
internal static class DeliveryStream
{
    public static async IAsyncEnumerable<ExtractionDelivery> ReadAsync(
        ExtractionRun run,
        ExtractionRunSettings settings,
        TimeProvider time,
        ILogger logger,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var coalesce = settings.Mode == ExtractionMode.Atomic && settings.CoalesceWindow > TimeSpan.Zero;
        var delivered = false;
        var lastDelivery = 0L;
        try
        {
            run.Start();
            var reader = run.Reader;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!reader.TryRead(out var delivery))
                {
                    if (!await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        break;
                    }

                    continue;
                }

                if (coalesce)
                {
                    var wait = delivered ? settings.CoalesceWindow - time.GetElapsedTime(lastDelivery) : TimeSpan.Zero;
                    if (wait > TimeSpan.Zero && !run.Finished.IsCompleted)
                    {
                        await WaitForWindowAsync(time, wait, run.Finished, cancellationToken).ConfigureAwait(false);
                    }

                    delivery = Gather(delivery, reader);
                }

                if (settings.StopWhen is { } stopWhen && FindStop(delivery, stopWhen, out var stopError) is var stopAt && stopAt >= 0)
                {
                    // A predicate that throws stops the run too: the update it was asked about is still delivered,
                    // then the stream ends with the predicate's own exception.
                    run.Stop();
                    if (stopError is null)
                    {
                        ExtractionLog.StopConditionMet(logger, delivery[stopAt].ExtractorName);
                    }

                    yield return delivery.Take(stopAt + 1);
                    stopError?.Throw();
                    yield break;
                }

                delivered = true;
                lastDelivery = time.GetTimestamp();
                yield return delivery;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (run.Failure is { } failure)
            {
                throw failure;
            }
        }
        finally
        {
            await run.StopAndDrainAsync().ConfigureAwait(false);
        }
    }

    private static int FindStop(ExtractionDelivery delivery, Func<ExtractionUpdate, bool> stopWhen, out ExceptionDispatchInfo? error)
    {
        error = null;
        for (var i = 0; i < delivery.Count; i++)
        {
            try
            {
                if (stopWhen(delivery[i]))
                {
                    return i;
                }
            }
#pragma warning disable CA1031 // Rethrown to the consumer once the update is delivered.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                error = ExceptionDispatchInfo.Capture(ex);
                return i;
            }
        }

        return -1;
    }

    private static ExtractionDelivery Gather(ExtractionDelivery first, ChannelReader<ExtractionDelivery> reader)
    {
        List<ExtractionUpdate>? batch = null;
        while (reader.TryRead(out var next))
        {
            if (batch is null)
            {
                batch = new List<ExtractionUpdate>(first.Count + next.Count);
                batch.AddRange(first.ToList());
            }

            batch.AddRange(next.ToList());
        }

        return batch is null ? first : new ExtractionDelivery(batch.ToArray());
    }

    private static async Task WaitForWindowAsync(TimeProvider time, TimeSpan wait, Task finished, CancellationToken cancellationToken)
    {
        using var delaySource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(wait, time, delaySource.Token);
        await Task.WhenAny(delay, finished).ConfigureAwait(false);
        await delaySource.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
