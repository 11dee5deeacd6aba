using System.Globalization;
using Microsoft.Extensions.Time.Testing;

namespace StreamingBeam.Tests.Faults;

/// <summary>One extractor of a fault scenario: its dependencies, whether the run needs it, whether it has a
/// timeout and whether it asks for the shared artifact.</summary>
internal sealed record ExtractorSpec(string Name, string[] DependsOn, bool Required = false, bool HasTimeout = false, bool UsesArtifact = false);

/// <summary>The extractors of an engine, the faults each run meets (by the run's input name), and what each run must
/// then deliver: a small model of the extraction engine's failure semantics.</summary>
internal sealed class ExtractionFaultScenario
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly Func<string, string, Fault> _faults;

    public ExtractionFaultScenario(IReadOnlyList<ExtractorSpec> extractors, Func<string, string, Fault> faults, int seed = 0)
    {
        Extractors = extractors;
        _faults = faults;
        Seed = seed;
    }

    public IReadOnlyList<ExtractorSpec> Extractors { get; }

    public int Seed { get; }

    public CallTracker Tracker { get; } = new();

    public FakeTimeProvider Time { get; } = new();

    /// <summary>Creates a random engine shape: 4 to 7 extractors, each depending on up to two earlier ones, some
    /// required, some with a timeout, at most one asking for the artifact (two askers racing for an artifact that is
    /// being computed could time out depending on scheduling; a dedicated test covers several askers).</summary>
    public static ExtractionFaultScenario Random(int seed)
    {
        var count = 4 + Draw.Int(seed, 4, "count");
        var asker = Draw.Int(seed, count + 2, "asker"); // sometimes nobody asks
        var specs = new List<ExtractorSpec>();
        for (var i = 0; i < count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"x{i}");
            var dependencies = Enumerable.Range(0, i).Where(j => Draw.Unit(seed, "dep", name, j.ToString(CultureInfo.InvariantCulture)) < 0.3).Take(2)
                .Select(j => string.Create(CultureInfo.InvariantCulture, $"x{j}")).ToArray();
            var usesArtifact = i == asker;
            specs.Add(new ExtractorSpec(
                name,
                dependencies,
                Required: Draw.Unit(seed, "required", name) < 0.15,
                HasTimeout: usesArtifact || Draw.Unit(seed, "timeout", name) < 0.5,
                UsesArtifact: usesArtifact));
        }

        var byName = specs.ToDictionary(s => s.Name, StringComparer.Ordinal);
        return new ExtractionFaultScenario(specs, (scope, subject) =>
        {
            var u = Draw.Unit(seed, "fault", scope, subject);
            if (subject == FaultyExtractor.Artifact.Name)
            {
                return u switch { < 0.2 => Fault.Throw, < 0.35 => Fault.Hang, _ => Fault.None };
            }

            // Only an extractor with a timeout may hang in a run that is meant to end on its own.
            return u switch
            {
                < 0.12 => Fault.Throw,
                < 0.22 => Fault.Invalid,
                < 0.30 when byName[subject].HasTimeout => Fault.Hang,
                _ => Fault.None,
            };
        }, seed);
    }

    public Fault FaultOf(ProviderCall call) => _faults(call.Scope, call.Subject);

    /// <summary>Creates the engine. When a call blocks (it hangs, or asks for an artifact that hangs), the fake clock
    /// jumps by the timeout at once, from inside the call, so timeouts fire deterministically without waiting.</summary>
    public ExtractionEngine Engine(double yieldRate = 0, bool advanceOnBlock = true)
    {
        if (advanceOnBlock)
        {
            Tracker.Blocking = _ => Time.Advance(Timeout);
        }

        var registrations = Extractors.Select(spec =>
        {
            var options = new ExtractorOptions { Required = spec.Required, Timeout = spec.HasTimeout ? Timeout : null };
            foreach (var dependency in spec.DependsOn)
            {
                options.DependsOn.Add(dependency);
            }

            // Calls that may time out never yield: a yield could let the clock jump while a healthy call is in flight.
            var extractor = new FaultyExtractor(
                spec.Name, Tracker, FaultOf, spec.DependsOn, spec.UsesArtifact,
                scope => _faults(scope, FaultyExtractor.Artifact.Name).Kind == FaultKind.Hang,
                Seed, spec.HasTimeout ? 0 : yieldRate);
            return new ExtractorRegistration(extractor, options);
        });
        return new ExtractionEngine(registrations, [FaultyExtractor.Preprocessor(Tracker, FaultOf)], timeProvider: Time);
    }

    /// <summary>Gets the status every extractor must end with in a run over <paramref name="scope"/> that is not ended early.</summary>
    public IReadOnlyDictionary<string, ExtractionStatus> Expected(string scope)
    {
        var status = new Dictionary<string, ExtractionStatus>(StringComparer.Ordinal);
        foreach (var spec in Extractors)
        {
            status[spec.Name] = spec.DependsOn.Any(d => status[d] != ExtractionStatus.Succeeded)
                ? ExtractionStatus.Skipped
                : _faults(scope, spec.Name).Kind switch
                {
                    FaultKind.Throw or FaultKind.Invalid => ExtractionStatus.Failed,
                    FaultKind.Hang => ExtractionStatus.TimedOut,
                    _ when !spec.UsesArtifact => ExtractionStatus.Succeeded,
                    _ => _faults(scope, FaultyExtractor.Artifact.Name).Kind switch
                    {
                        FaultKind.Throw => ExtractionStatus.Failed,
                        FaultKind.Hang => ExtractionStatus.TimedOut,
                        _ => ExtractionStatus.Succeeded,
                    },
                };
        }

        return status;
    }

    /// <summary>Runs over the input named <paramref name="scope"/>, to its end or until the consumer has read
    /// <paramref name="stopAfter"/> updates. Never throws: the stream's exception is captured in the result.</summary>
    public static async Task<ExtractionRunRecord> RunAsync(
        ExtractionEngine engine,
        string scope,
        ExtractionRunOptions? options = null,
        int? stopAfter = null,
        CancellationToken cancellationToken = default)
    {
        var (updates, error, stopped) = await StreamCapture.ReadAsync(
            engine.ExtractStreamingAsync(new ExtractionInput { Name = scope }, options, cancellationToken), stopAfter)
            .WaitAsync(BeamFaultScenario.Guard, CancellationToken.None);
        return new ExtractionRunRecord(scope, updates, error, stopped);
    }

    /// <summary>Checks what must hold after any run, and, for a run that was not ended early, that it delivered
    /// exactly what the model says.</summary>
    public void Check(ExtractionRunRecord run, bool cancelRequested = false)
    {
        Assert.Equal(0, Tracker.InFlightFor(run.Scope));

        var expected = Expected(run.Scope);
        var finals = run.Updates.Where(u => !u.IsProvisional).ToArray();
        Assert.Equal(Enumerable.Range(1, finals.Length), finals.Select(u => u.Completed));
        Assert.Equal(finals.Length, finals.Select(u => u.ExtractorName).Distinct().Count());
        Assert.All(finals, u => Assert.Equal(Extractors.Count, u.Total));
        Assert.All(finals, u => Assert.Equal(u.Completed == u.Total, u.IsFinal));

        foreach (var update in finals)
        {
            // What was delivered is what the model says, whatever ended the run.
            Assert.True(expected[update.ExtractorName] == update.Status, $"{update.ExtractorName}: expected {expected[update.ExtractorName]}, got {update.Status} ({update.Error?.Message})");
            switch (update.Status)
            {
                case ExtractionStatus.Failed:
                    Assert.True(update.Error is InjectedFaultException or InvalidOperationException, update.Error?.ToString());
                    break;
                case ExtractionStatus.TimedOut:
                    Assert.IsType<TimeoutException>(update.Error);
                    break;
                case ExtractionStatus.Skipped:
                    Assert.Equal(ExtractionSkipReason.DependencyNotSucceeded, update.SkipReason);
                    break;
            }
        }

        // A success is delivered only for a call that succeeded.
        var succeededCalls = Tracker.SucceededFor(run.Scope).Where(c => c.Operation == "Extract").Select(c => c.Subject).ToHashSet(StringComparer.Ordinal);
        Assert.All(finals.Where(u => u.Status == ExtractionStatus.Succeeded), u => Assert.Contains(u.ExtractorName, succeededCalls));

        var failingRequired = Extractors.Where(s => s.Required && expected[s.Name] != ExtractionStatus.Succeeded).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        switch (run.Error)
        {
            case null when run.StoppedByConsumer:
                break;
            case null:
                // A normal end is a complete one: every extractor, every success included.
                Assert.False(cancelRequested, "The run was canceled but its stream ended normally.");
                Assert.Empty(failingRequired);
                Assert.Equal(Extractors.Count, finals.Length);
                Assert.Equal(succeededCalls.Order(StringComparer.Ordinal), finals.Where(u => u.Status == ExtractionStatus.Succeeded).Select(u => u.ExtractorName).Order(StringComparer.Ordinal));
                break;
            case RequiredExtractorFailedException required:
                // The required extractor's own update came last, after everything it depended on.
                Assert.Contains(required.ExtractorName, failingRequired);
                Assert.Equal(required.ExtractorName, finals[^1].ExtractorName);
                Assert.Equal(expected[required.ExtractorName], required.Status);
                Assert.All(TransitiveDependencies(required.ExtractorName), d => Assert.Contains(d, finals.Select(u => u.ExtractorName)));
                break;
            case OperationCanceledException:
                Assert.True(cancelRequested, "The stream ended with OperationCanceledException although nobody canceled: " + run.Error);
                break;
            default:
                Assert.Fail("The stream ended with an unexpected exception: " + run.Error);
                break;
        }
    }

    private HashSet<string> TransitiveDependencies(string name)
    {
        var byName = Extractors.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(byName[name].DependsOn);
        while (stack.TryPop(out var next))
        {
            if (seen.Add(next))
            {
                foreach (var dependency in byName[next].DependsOn)
                {
                    stack.Push(dependency);
                }
            }
        }

        return seen;
    }
}

/// <summary>What one extraction run delivered and how its stream ended.</summary>
internal sealed record ExtractionRunRecord(string Scope, IReadOnlyList<ExtractionUpdate> Updates, Exception? Error, bool StoppedByConsumer)
{
    public ExtractionUpdate? For(string name) => Updates.LastOrDefault(u => u.ExtractorName == name && !u.IsProvisional);
}
