using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace StreamingBeam.Tests.Extraction;

/// <summary>Shared helpers for the extraction tests. Timeouts here only stop a broken test from hanging; nothing
/// asserts on elapsed wall-clock time.</summary>
internal static class ExtractionTestKit
{
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(15);

    public static ExtractionInput Input { get; } = new() { Name = "input.png", MediaType = "image/png", Data = new byte[] { 1, 2, 3 } };

    public static ExtractorRegistration Reg(IExtractor extractor, Action<ExtractorOptions>? configure = null)
    {
        var options = new ExtractorOptions();
        configure?.Invoke(options);
        return new ExtractorRegistration(extractor, options);
    }

    public static async Task<T> NextAsync<T>(this IAsyncEnumerator<T> enumerator)
    {
        Assert.True(await enumerator.MoveNextAsync().AsTask().WaitAsync(Guard), "The stream ended early.");
        return enumerator.Current;
    }

    public static async Task EndAsync<T>(this IAsyncEnumerator<T> enumerator)
    {
        var more = await enumerator.MoveNextAsync().AsTask().WaitAsync(Guard);
        Assert.False(more, more ? $"Unexpected item: {enumerator.Current}" : null);
    }

    public static Task Started(this Testing.CallGate gate, string key) => gate.WaitForStartAsync(key).WaitAsync(Guard);

    public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source.ConfigureAwait(false))
        {
            list.Add(item);
        }

        return list;
    }
}

/// <summary>An extractor that returns at once, for scale and budget tests.</summary>
internal sealed class SyncExtractor(string name, JsonObject? tokens = null) : IExtractor
{
    private int _calls;

    public string Name { get; } = name;

    public int Calls => Volatile.Read(ref _calls);

    public Task<ExtractorOutput> ExtractAsync(ExtractionContext context, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(new ExtractorOutput(tokens?.DeepClone().AsObject() ?? new JsonObject { [Name] = true }));
    }
}

/// <summary>An extractor completed by the test through a TaskCompletionSource with synchronous continuations:
/// when <see cref="Complete"/> returns, the engine has already recorded the outcome.</summary>
internal sealed class InlineExtractor(string name) : IExtractor
{
    private readonly TaskCompletionSource<ExtractorOutput> _result = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name { get; } = name;

    public Task Started => _started.Task.WaitAsync(ExtractionTestKit.Guard);

    public Task<ExtractorOutput> ExtractAsync(ExtractionContext context, CancellationToken cancellationToken = default)
    {
        _started.TrySetResult();
        cancellationToken.Register(() => _result.TrySetCanceled(cancellationToken));
        return _result.Task;
    }

    public void Complete()
    {
        // Continuations only run inline where no synchronization context is installed (xunit installs one).
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            _result.SetResult(new ExtractorOutput(new JsonObject { [Name] = true }));
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }
}

/// <summary>An extractor that waits on its gate without its token, as a provider that ignores cancellation would.</summary>
internal sealed class StubbornExtractor(string name, Testing.CallGate gate) : IExtractor
{
    public string Name { get; } = name;

    public async Task<ExtractorOutput> ExtractAsync(ExtractionContext context, CancellationToken cancellationToken = default)
    {
        await gate.EnterAsync(Name, CancellationToken.None);
        return new ExtractorOutput(new JsonObject { [Name] = true });
    }
}

/// <summary>Collects log entries, for the logging tests.</summary>
internal sealed class ListLoggerFactory : ILoggerFactory
{
    public ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new ListLogger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class ListLogger(ListLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((logLevel, formatter(state, exception), exception));
    }
}
