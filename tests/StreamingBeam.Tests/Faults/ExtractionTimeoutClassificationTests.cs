using Microsoft.Extensions.Time.Testing;

namespace StreamingBeam.Tests.Faults;

/// <summary>A failure that happens while an extractor's timeout fires is reported as that failure, as the beam engine
/// does for stage timeouts: only a call that ends in cancellation after its timeout fired is a timeout.</summary>
[Collection(FaultSuite.Name)]
public class ExtractionTimeoutClassificationTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public Task RunAsync_ExtractorFailsAfterItsTimeoutFiredWithoutBeingCanceledByIt_ReportsItsOwnFailure(bool nullOutput) =>
        NoUnobservedExceptions.RunAsync(async () =>
        {
            var time = new FakeTimeProvider();
            var extractor = new ClockJumpingExtractor(time, nullOutput);
            var engine = new ExtractionEngine([new ExtractorRegistration(extractor, new ExtractorOptions { Timeout = TimeSpan.FromSeconds(5) })], timeProvider: time);

            var run = await ExtractionFaultScenario.RunAsync(engine, "input");

            Assert.Null(run.Error);
            var update = Assert.Single(run.Updates);
            Assert.Equal(ExtractionStatus.Failed, update.Status);
            if (nullOutput)
            {
                Assert.Contains("null ExtractorOutput", update.Error!.Message, StringComparison.Ordinal);
            }
            else
            {
                Assert.Same(extractor.Error, update.Error);
            }
        });

    /// <summary>Lets the clock pass its timeout during the call (as another run's timer or a slow thread would), then
    /// fails on its own without ever looking at its token.</summary>
    private sealed class ClockJumpingExtractor(FakeTimeProvider time, bool nullOutput) : IExtractor
    {
        public string Name => "jumper";

        public InvalidDataException Error { get; } = new("the model answered garbage");

        public Task<ExtractorOutput> ExtractAsync(ExtractionContext context, CancellationToken cancellationToken = default)
        {
            time.Advance(TimeSpan.FromSeconds(6));
            return nullOutput ? Task.FromResult<ExtractorOutput>(null!) : Task.FromException<ExtractorOutput>(Error);
        }
    }
}
