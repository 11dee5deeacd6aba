namespace StreamingBeam.Concurrency;

/// <summary>Wraps an engine's stream so that its enumerator may be disposed while a <c>MoveNextAsync</c> is still
/// pending, for example by another thread shutting down.</summary>
/// <remarks>
/// A compiler-generated async iterator refuses <c>DisposeAsync</c> during a pending <c>MoveNextAsync</c> and leaves that
/// read hanging. Here, disposal during a pending read stops the run (as leaving <c>await foreach</c> does): the pending
/// read completes with <see langword="false"/>, the run's work is canceled and awaited, and only then does
/// <c>DisposeAsync</c> return. A read after disposal returns <see langword="false"/>. The caller's own cancellation
/// still ends the stream with <see cref="OperationCanceledException"/>.
/// </remarks>
/// <typeparam name="T">The item type.</typeparam>
internal sealed class StoppableStream<T>(IAsyncEnumerable<T> source, CancellationToken methodToken) : IAsyncEnumerable<T>
{
    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        new Enumerator(source, methodToken, cancellationToken);

    private sealed class Enumerator : IAsyncEnumerator<T>
    {
        private readonly CancellationToken _methodToken;
        private readonly CancellationToken _enumeratorToken;
        private readonly CancellationTokenSource _stop;
        private readonly IAsyncEnumerator<T> _inner;
        private Task<bool>? _pending;
        private int _disposed;

        public Enumerator(IAsyncEnumerable<T> source, CancellationToken methodToken, CancellationToken enumeratorToken)
        {
            _methodToken = methodToken;
            _enumeratorToken = enumeratorToken;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(enumeratorToken);
            _inner = source.GetAsyncEnumerator(_stop.Token);
        }

        public T Current => _inner.Current;

        public ValueTask<bool> MoveNextAsync()
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return new ValueTask<bool>(false);
            }

            var next = _inner.MoveNextAsync();
            if (next.IsCompletedSuccessfully)
            {
                // The common case when items are already waiting: nothing to track, nothing allocated.
                return next;
            }

            var pending = AwaitAsync(next);
            Volatile.Write(ref _pending, pending);
            return new ValueTask<bool>(pending);
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            if (Volatile.Read(ref _pending) is { IsCompleted: false } pending)
            {
                await _stop.CancelAsync().ConfigureAwait(false);
                await ((Task)pending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await _inner.DisposeAsync().ConfigureAwait(false);
            _stop.Dispose();
        }

        private async Task<bool> AwaitAsync(ValueTask<bool> next)
        {
            try
            {
                return await next.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (Volatile.Read(ref _disposed) != 0
                && !_methodToken.IsCancellationRequested && !_enumeratorToken.IsCancellationRequested)
            {
                return false;
            }
        }
    }
}
