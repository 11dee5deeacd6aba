using System.Diagnostics;
using StreamingBeam.Testing;
using static StreamingBeam.Tests.Beam.BeamTestKit;

namespace StreamingBeam.Tests.Diagnostics;

public class BeamTracingTests
{
    private const string Search = "streamingbeam.beam.search";
    private const string Iteration = "streamingbeam.beam.iteration";
    private const string Candidate = "streamingbeam.beam.candidate";

    [Fact]
    public async Task Search_WithListener_TracesSearchIterationsCandidatesAndProviderCallsAsOneTree()
    {
        using var spans = new SpanRecorder();
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        providers.Gate.Fail(BeamGateKeys.Image(Combined(1)), new HttpRequestException("service unavailable"));

        var events = await Start(providers, new BeamSearchOptions { BeamWidth = 4, KeepTop = 2, MaxIterations = 2 }).ToEndAsync();

        var result = Assert.IsType<SearchCompletedEvent>(events[^1]).Result;
        var search = Assert.Single(spans.Named(Search));
        Assert.Equal(spans.Root.SpanId, search.ParentSpanId);
        Assert.Equal("MaxIterationsReached", search.Tag("streamingbeam.beam.stop_reason"));
        Assert.Equal("4", search.Tag("streamingbeam.beam.width"));
        Assert.Equal(result.CandidatesScored, (int)search.GetTagItem("streamingbeam.beam.candidates_scored")!);
        Assert.Equal(ActivityStatusCode.Unset, search.Status);

        var iterations = spans.Named(Iteration).ToDictionary(i => i.Tag("streamingbeam.iteration")!);
        Assert.Equal(result.Iterations, iterations.Count);
        Assert.All(iterations.Values, i => Assert.Equal(search.SpanId, i.ParentSpanId));

        var candidates = spans.Named(Candidate).ToDictionary(c => c.Tag("streamingbeam.candidate.id")!);
        var expectedIds = events.OfType<CandidateScoredEvent>().Select(e => e.Candidate.Id)
            .Concat(events.OfType<CandidateFailedEvent>().Select(e => e.CandidateId));
        Assert.Equal(expectedIds.Order(), candidates.Keys.Order());
        Assert.Equal(result.CandidatesScored + result.CandidatesFailed, candidates.Count);
        Assert.All(candidates.Values, c => Assert.Equal(iterations[c.Tag("streamingbeam.iteration")!].SpanId, c.ParentSpanId));
        Assert.All(events.Scored(1), c => Assert.Equal(c.ParentId, candidates[c.Id].Tag("streamingbeam.candidate.parent_id")));

        // Every provider call hangs under its own candidate's lane, except critiques, which hang under their iteration.
        var calls = spans.All.Where(s => s.Kind == ActivityKind.Client).ToArray();
        foreach (var call in calls)
        {
            var stage = call.Tag("streamingbeam.stage");
            Assert.Equal("streamingbeam.beam." + stage, call.OperationName);
            Assert.Equal(stage == "image" ? "generate_content" : "chat", call.Tag("gen_ai.operation.name"));
            var expectedParent = stage == "critique" ? iterations["1"] : candidates[call.Tag("streamingbeam.candidate.id")!];
            Assert.Equal(expectedParent.SpanId, call.ParentSpanId);
        }

        string[] StagesOf(string id) => calls
            .Where(c => c.ParentSpanId == candidates[id].SpanId)
            .Select(c => c.Tag("streamingbeam.stage")!).Order().ToArray();
        Assert.All(events.Scored(0), c => Assert.Equal(["aesthetic", "alignment", "combine", "expand", "expand", "image"], StagesOf(c.Id)));
        Assert.All(events.Scored(1), c => Assert.Equal(["aesthetic", "alignment", "combine", "image", "refine"], StagesOf(c.Id)));
        var critiques = calls.Where(c => c.Tag("streamingbeam.stage") == "critique").Select(c => c.Tag("streamingbeam.candidate.id")).Order();
        Assert.Equal(events.Completed(0).Survivors.Select(c => c.Id).Order(), critiques);

        // Usage reported by the language model is on its calls, in the GenAI conventions' tags.
        var combine = calls.First(c => c.Tag("streamingbeam.stage") == "combine");
        Assert.Equal("10", combine.Tag("gen_ai.usage.input_tokens"));
        Assert.Equal("5", combine.Tag("gen_ai.usage.output_tokens"));
    }

    [Fact]
    public async Task Search_CandidateFails_MarksItsSpanAndTheFailedCallAsErrorsWithTheErrorTypeOnly()
    {
        using var spans = new SpanRecorder();
        var providers = new GatedBeamProviders(autoRelease: _ => true);
        providers.Gate.Fail(BeamGateKeys.Image(Combined(1)), new HttpRequestException("secret vendor detail"));

        await Start(providers, new BeamSearchOptions { BeamWidth = 3, KeepTop = 1, MaxIterations = 1 }).ToEndAsync();

        var candidates = spans.Named(Candidate).ToDictionary(c => c.Tag("streamingbeam.candidate.id")!);
        var failed = candidates["c0-1"];
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal("System.Net.Http.HttpRequestException", failed.Tag("error.type"));
        Assert.Equal("image", failed.Tag("streamingbeam.stage"));
        Assert.Null(failed.StatusDescription);
        Assert.Null(failed.Tag("streamingbeam.candidate.total"));
        Assert.Equal(ActivityStatusCode.Unset, candidates["c0-0"].Status);
        Assert.NotNull(candidates["c0-0"].Tag("streamingbeam.candidate.total"));

        var calls = spans.All.Where(s => s.ParentSpanId == failed.SpanId).ToArray();
        var image = Assert.Single(calls, c => c.OperationName == "streamingbeam.beam.image");
        Assert.Equal(ActivityStatusCode.Error, image.Status);
        Assert.Equal("System.Net.Http.HttpRequestException", image.Tag("error.type"));
        Assert.DoesNotContain(calls, c => c.OperationName is "streamingbeam.beam.alignment" or "streamingbeam.beam.aesthetic");
        Assert.DoesNotContain(spans.All, s => s.TagValues().Any(v => v.Contains("secret vendor detail", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Search_Traced_RecordsNoPromptOrPromptTextInAnyTag()
    {
        using var spans = new SpanRecorder();
        var providers = new GatedBeamProviders(autoRelease: _ => true);

        var events = await Start(providers, new BeamSearchOptions { BeamWidth = 3, KeepTop = 1, MaxIterations = 2 }).ToEndAsync();

        var texts = events.OfType<CandidateScoredEvent>()
            .SelectMany(e => new[] { e.Candidate.What, e.Candidate.How, e.Candidate.CombinedPrompt, e.Candidate.Critique })
            .Append(Prompt)
            .OfType<string>()
            .Distinct()
            .ToArray();
        Assert.NotEmpty(spans.All);
        var values = spans.All.SelectMany(s => s.TagValues()).ToArray();
        Assert.DoesNotContain(values, v => texts.Any(t => v.Contains(t, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Search_Canceled_EndsTheSearchSpanAsCanceled()
    {
        using var spans = new SpanRecorder();
        using var cancellation = new CancellationTokenSource();
        var providers = new GatedBeamProviders();
        var recorder = Start(providers, new BeamSearchOptions { BeamWidth = 2, KeepTop = 1, MaxIterations = 1 }, cancellation.Token);
        await providers.Gate.WaitForStartAsync(BeamGateKeys.Expand(PromptDimension.What, 0)).WaitAsync(TimeSpan.FromSeconds(30));

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => recorder.ToEndAsync());
        var search = Assert.Single(spans.Named(Search));
        Assert.Equal(ActivityStatusCode.Error, search.Status);
        Assert.Contains(search.Tag("error.type"), new[] { typeof(OperationCanceledException).FullName, typeof(TaskCanceledException).FullName });
    }
}
