using System.Text.Json.Nodes;

namespace StreamingBeam.Tests.Faults;

/// <summary>An extractor (and its shared artifact's preprocessor) that injects the fault a rule plans for each run
/// (the run's scope is its input's name), and counts every call in a <see cref="CallTracker"/>.</summary>
/// <remarks>Healthy calls complete synchronously; with a yield rate some first yield and then honour their token.
/// A successful call returns <c>{ name: true }</c>, plus the artifact's value if it uses one, and checks that every
/// dependency's result is readable.</remarks>
internal sealed class FaultyExtractor : IExtractor
{
    public static readonly ArtifactKey<int> Artifact = new("depth");

    private readonly CallTracker _tracker;
    private readonly Func<ProviderCall, Fault> _faults;
    private readonly IReadOnlyList<string> _dependencies;
    private readonly bool _usesArtifact;
    private readonly Func<string, bool> _artifactHangs;
    private readonly int _seed;
    private readonly double _yieldRate;

    public FaultyExtractor(
        string name,
        CallTracker tracker,
        Func<ProviderCall, Fault> faults,
        IReadOnlyList<string>? dependencies = null,
        bool usesArtifact = false,
        Func<string, bool>? artifactHangs = null,
        int seed = 0,
        double yieldRate = 0)
    {
        Name = name;
        _tracker = tracker;
        _faults = faults;
        _dependencies = dependencies ?? [];
        _usesArtifact = usesArtifact;
        _artifactHangs = artifactHangs ?? (_ => false);
        _seed = seed;
        _yieldRate = yieldRate;
    }

    public string Name { get; }

    /// <summary>Creates the preprocessor of <see cref="Artifact"/>, faulted per run as <paramref name="faults"/> plans
    /// for the operation <c>Preprocess</c>.</summary>
    public static PreprocessorRegistration<int> Preprocessor(CallTracker tracker, Func<ProviderCall, Fault> faults) =>
        PreprocessorRegistration.Create(Artifact, (input, cancellationToken) =>
        {
            var call = new ProviderCall(input.Name!, "Preprocess", Artifact.Name, 1);
            var fault = faults(call);
            tracker.Enter(call);
            if (fault.Kind == FaultKind.Hang)
            {
                return HangAsync(tracker, call, cancellationToken);
            }

            var succeeded = fault.Kind == FaultKind.None;
            tracker.Exit(call, succeeded);
            return succeeded ? ValueTask.FromResult(42) : throw new InjectedFaultException(call, transient: false);
        });

    public Task<ExtractorOutput> ExtractAsync(ExtractionContext context, CancellationToken cancellationToken = default)
    {
        var call = new ProviderCall(context.Input.Name!, "Extract", Name, 1);
        var fault = _faults(call);
        _tracker.Enter(call);

        // Half of the throwing and invalid faults happen synchronously: a throw from ExtractAsync itself, a null task.
        if (fault.Kind is FaultKind.Throw or FaultKind.Invalid && Draw.Unit(_seed, "sync", call.ToString()) < 0.5)
        {
            _tracker.Exit(call, succeeded: false);
            return fault.Kind == FaultKind.Throw ? throw new InjectedFaultException(call, transient: false) : null!;
        }

        return ExtractCoreAsync(context, call, fault, cancellationToken);
    }

    private static async ValueTask<int> HangAsync(CallTracker tracker, ProviderCall call, CancellationToken cancellationToken)
    {
        try
        {
            tracker.OnBlocking(call);
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            throw new InvalidOperationException("An infinite delay ended without cancellation.");
        }
        finally
        {
            tracker.Exit(call, succeeded: false);
        }
    }

    private async Task<ExtractorOutput> ExtractCoreAsync(ExtractionContext context, ProviderCall call, Fault fault, CancellationToken cancellationToken)
    {
        var succeeded = false;
        try
        {
            if (_yieldRate > 0 && Draw.Unit(_seed, "yield", call.ToString()) < _yieldRate)
            {
                await Task.Yield();
                cancellationToken.ThrowIfCancellationRequested();
            }

            switch (fault.Kind)
            {
                case FaultKind.Throw:
                    throw new InjectedFaultException(call, transient: false);
                case FaultKind.Invalid:
                    return null!;
                case FaultKind.Hang:
                    _tracker.OnBlocking(call);
                    await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                    throw new InvalidOperationException("An infinite delay ended without cancellation.");
            }

            var tokens = new JsonObject { [Name] = true };
            foreach (var dependency in _dependencies)
            {
                _ = context.GetDependencyResult(dependency) ?? throw new InvalidOperationException($"{Name} cannot read the result of its dependency {dependency}.");
            }

            if (_usesArtifact)
            {
                if (_artifactHangs(call.Scope))
                {
                    _tracker.OnBlocking(call);
                }

                tokens["depth"] = await context.GetArtifactAsync(Artifact, cancellationToken);
            }

            succeeded = true;
            return new ExtractorOutput(tokens);
        }
        finally
        {
            _tracker.Exit(call, succeeded);
        }
    }
}
