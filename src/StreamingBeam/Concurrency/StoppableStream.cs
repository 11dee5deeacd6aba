using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

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

    /// <remarks>A pending read completes through one reusable <see cref="ManualResetValueTaskSourceCore{TResult}"/>, so
    /// tracking it allocates nothing per item (reads are never concurrent, as the enumerator contract says).</remarks>
    private sealed class Enumerator : IAsyncEnumerator<T>, IValueTaskSource<bool>
    {
        private readonly object _gate = new();
        private readonly CancellationToken _methodToken;
        private readonly CancellationToken _enumeratorToken;
        private readonly CancellationTokenSource _stop;
        private readonly IAsyncEnumerator<T> _inner;
        private readonly Action _onInnerCompleted;
        // The reader's continuation runs inline: the inner read completes on a pool thread that holds no lock, so one
        // more thread-pool hop per item would only cost time.
        private ManualResetValueTaskSourceCore<bool> _read = new() { RunContinuationsAsynchronously = false };
        private ValueTaskAwaiter<bool> _innerRead;
        private bool _pending;
        private TaskCompletionSource? _pendingEnded;
        private int _disposed;

        public Enumerator(IAsyncEnumerable<T> source, CancellationToken methodToken, CancellationToken enumeratorToken)
        {
            _methodToken = methodToken;
            _enumeratorToken = enumeratorToken;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(enumeratorToken);
            _inner = source.GetAsyncEnumerator(_stop.Token);
            _onInnerCompleted = OnInnerCompleted;
        }

        public T Current => _inner.Current;

        public ValueTask<bool> MoveNextAsync()
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return new ValueTask<bool>(false);
            }

#pragma warning disable CA2012 // Either returned at once, or its awaiter is kept and its result read once it completes.
            var next = _inner.MoveNextAsync();
#pragma warning restore CA2012
            if (next.IsCompletedSuccessfully)
            {
                return next;
            }

            _read.Reset();
            _innerRead = next.GetAwaiter();
            lock (_gate)
            {
                _pending = true;
            }

            _innerRead.UnsafeOnCompleted(_onInnerCompleted);
            return new ValueTask<bool>(this, _read.Version);
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            Task? pendingEnded = null;
            lock (_gate)
            {
                if (_pending)
                {
                    pendingEnded = (_pendingEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                }
            }

            if (pendingEnded is not null)
            {
                await _stop.CancelAsync().ConfigureAwait(false);
                await pendingEnded.ConfigureAwait(false);
            }

            await _inner.DisposeAsync().ConfigureAwait(false);
            _stop.Dispose();
        }

        bool IValueTaskSource<bool>.GetResult(short token) => _read.GetResult(token);

        ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _read.GetStatus(token);

        void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _read.OnCompleted(continuation, state, token, flags);

        private void OnInnerCompleted()
        {
            var result = false;
            Exception? error = null;
            try
            {
                result = _innerRead.GetResult();
            }
            catch (OperationCanceledException) when (Volatile.Read(ref _disposed) != 0
                && !_methodToken.IsCancellationRequested && !_enumeratorToken.IsCancellationRequested)
            {
                // Stopped by DisposeAsync: the read ends like a stream that has no more items.
            }
#pragma warning disable CA1031 // Handed to the reader unchanged, through the value task.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                error = ex;
            }

            TaskCompletionSource? pendingEnded;
            lock (_gate)
            {
                _pending = false;
                pendingEnded = _pendingEnded;
            }

            if (error is null)
            {
                _read.SetResult(result);
            }
            else
            {
                _read.SetException(error);
            }

            pendingEnded?.TrySetResult();
        }
    }
}
