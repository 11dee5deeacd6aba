using Microsoft.Extensions.Logging;
using StreamingBeam.Concurrency;
using StreamingBeam.Diagnostics;

namespace StreamingBeam.Extraction.Internal;

/// <summary>A run's shared artifacts: each is computed at most once, on first request, and handed to every extractor
/// that asks for it.</summary>
/// <remarks>Lock-free: the first caller to install its task computes the artifact; everyone else awaits that task.</remarks>
internal sealed class ArtifactCache
{
    private readonly ExtractionPlan _plan;
    private readonly ExtractionInput _input;
    private readonly object?[] _artifacts;
    private readonly OutstandingWork _outstanding;
    private readonly AbandonedCalls _abandoned;
    private readonly ExtractionTelemetry _telemetry;
    private readonly ILogger _logger;
    private readonly CancellationToken _runToken;

    public ArtifactCache(
        ExtractionPlan plan,
        ExtractionInput input,
        OutstandingWork outstanding,
        AbandonedCalls abandoned,
        ExtractionTelemetry telemetry,
        ILogger logger,
        CancellationToken runToken)
    {
        _plan = plan;
        _input = input;
        _artifacts = plan.Preprocessors.Length == 0 ? [] : new object?[plan.Preprocessors.Length];
        _outstanding = outstanding;
        _abandoned = abandoned;
        _telemetry = telemetry;
        _logger = logger;
        _runToken = runToken;
    }

    public ValueTask<T> GetAsync<T>(ArtifactKey<T> key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!_plan.PreprocessorsByName.TryGetValue(key.Name, out var index))
        {
            throw new KeyNotFoundException($"No preprocessor is registered for artifact '{key.Name}'.");
        }

        if (_plan.Preprocessors[index] is not PreprocessorRegistration<T> registration)
        {
            throw new KeyNotFoundException(
                $"Artifact '{key.Name}' is registered with type {_plan.Preprocessors[index].ArtifactType}, not {typeof(T)}.");
        }

        var task = (Task<T>?)Volatile.Read(ref _artifacts[index]);
        if (task is null)
        {
            _runToken.ThrowIfCancellationRequested();
            var source = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            task = (Task<T>?)Interlocked.CompareExchange(ref _artifacts[index], source.Task, null);
            if (task is null)
            {
                task = source.Task;
                _outstanding.Add();
                _ = ComputeAsync(registration, source);
            }
        }

        return task.IsCompletedSuccessfully ? new ValueTask<T>(task.Result) : AwaitAsync(task, key.Name, cancellationToken);
    }

    private static async ValueTask<T> AwaitAsync<T>(Task<T> task, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (task.IsFaulted)
        {
            // A new exception per caller: the preprocessor's own exception is shared by every extractor that asked.
            throw new InvalidOperationException($"Artifact '{name}' could not be computed: {ex.Message}", ex);
        }
    }

    private async Task ComputeAsync<T>(PreprocessorRegistration<T> registration, TaskCompletionSource<T> source)
    {
        var telemetry = _telemetry.StartPreprocessor(registration.Name);
        try
        {
            ExtractionLog.ArtifactComputing(_logger, registration.Name);
            var computing = registration.Compute(_input, _runToken);
            T value;
            if (computing.IsCompletedSuccessfully)
            {
                value = computing.Result;
            }
            else
            {
                // Stop waiting when the run is canceled even if the preprocessor ignores its token.
                value = await _abandoned.WaitOrAbandonAsync(computing.AsTask(), _runToken).ConfigureAwait(false);
            }

            telemetry.Succeeded(default);
            source.TrySetResult(value);
        }
        catch (OperationCanceledException ex) when (_runToken.IsCancellationRequested)
        {
            telemetry.Canceled();
            source.TrySetCanceled(ex.CancellationToken);
        }
#pragma warning disable CA1031 // A preprocessor's failure is any exception; it is handed to the extractors that asked.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ExtractionLog.ArtifactFailed(_logger, registration.Name, ex);
            telemetry.Failed(ExtractionStatus.Failed, ex);
            source.TrySetException(ex);

            // Observed here, because the extractors that asked may all have stopped waiting.
            _ = source.Task.Exception;
        }
        finally
        {
            telemetry.Dispose();
            _outstanding.Release();
        }
    }
}
