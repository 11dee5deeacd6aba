using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using StreamingBeam.Testing;
using static StreamingBeam.Tests.Extraction.ExtractionTestKit;

namespace StreamingBeam.Tests.Extraction;

public class ExtractionEngineObservationTests
{
    [Fact]
    public async Task RunAsync_FailuresAfterTimeouts_LeaveNoUnobservedTaskException()
    {
        var unobserved = new List<Exception>();
        void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            lock (unobserved)
            {
                unobserved.AddRange(e.Exception.Flatten().InnerExceptions.Where(x => x.Message.Contains("marker-7f3", StringComparison.Ordinal)));
            }
        }

        TaskScheduler.UnobservedTaskException += OnUnobserved;
        try
        {
            await RunScenarioAsync();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= OnUnobserved;
        }

        Assert.Empty(unobserved);
    }

    private static async Task RunScenarioAsync()
    {
        var time = new FakeTimeProvider();
        var gate = new CallGate();
        var depth = new ArtifactKey<int>("depth");
        var preprocessor = PreprocessorRegistration.Create(depth, async (_, _) =>
        {
            await gate.EnterAsync("depth", CancellationToken.None); // ignores cancellation, then fails
            return 1;
        });
        var asker = new GatedExtractor("asker", gate, key: "asker")
        {
            Result = async (context, ct) => new JsonObject { ["depth"] = await context.GetArtifactAsync(depth, ct) },
        };
        gate.Release("asker");
        var engine = new ExtractionEngine(
        [
            Reg(new StubbornExtractor("stubborn", gate), o => o.Timeout = TimeSpan.FromSeconds(1)),
            Reg(asker, o => o.Timeout = TimeSpan.FromSeconds(1)),
        ], [preprocessor], timeProvider: time);

        await using var updates = engine.ExtractStreamingAsync(Input).GetAsyncEnumerator();
        var next = updates.MoveNextAsync();
        await gate.Started("stubborn");
        await gate.Started("depth");
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await next.AsTask().WaitAsync(Guard));
        var second = await updates.NextAsync();
        Assert.All(new[] { updates.Current, second }, u => Assert.Equal(ExtractionStatus.TimedOut, u.Status));

        var end = updates.MoveNextAsync().AsTask();
        gate.Fail("stubborn", new InvalidOperationException("marker-7f3 stubborn"));
        gate.Fail("depth", new InvalidOperationException("marker-7f3 depth"));
        Assert.False(await end.WaitAsync(Guard));
        Assert.Equal(0, gate.InFlight);
    }
}
