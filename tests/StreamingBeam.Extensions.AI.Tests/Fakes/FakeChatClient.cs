using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace StreamingBeam.Extensions.AI.Tests.Fakes;

/// <summary>A chat client that records every call and answers with a canned response or canned stream updates.</summary>
internal sealed class FakeChatClient : IChatClient
{
    private readonly List<ChatCallRecord> _calls = [];

    /// <summary>Gets or sets the response to buffered calls.</summary>
    public ChatResponse Response { get; set; } = new(new ChatMessage(ChatRole.Assistant, "{\"prompt\": \"ok\"}"));

    /// <summary>Gets or sets the updates streamed calls yield, in order.</summary>
    public IReadOnlyList<ChatResponseUpdate> Updates { get; set; } = [new ChatResponseUpdate(ChatRole.Assistant, "{\"prompt\": \"ok\"}")];

    /// <summary>Gets or sets a gate that every call waits on (buffered: before answering; streamed: after the first update).</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>Gets or sets what every call throws instead of answering (streamed: after <see cref="FailAfterUpdates"/>
    /// updates), or <see langword="null"/> to answer.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Gets or sets how many updates a streamed call yields before it throws <see cref="Failure"/>.</summary>
    public int FailAfterUpdates { get; set; }

    /// <summary>Gets or sets the metadata the client gives through <see cref="GetService"/>, or <see langword="null"/>.</summary>
    public ChatClientMetadata? Metadata { get; set; }

    /// <summary>Completes when a call has reached the gate.</summary>
    public TaskCompletionSource AtGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<ChatCallRecord> Calls
    {
        get
        {
            lock (_calls)
            {
                return _calls.ToArray();
            }
        }
    }

    public ChatCallRecord SingleCall => Assert.Single(Calls);

    public static FakeChatClient Replying(string text, UsageDetails? usage = null) =>
        new() { Response = new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { Usage = usage } };

    public static FakeChatClient Streaming(params ChatResponseUpdate[] updates) => new() { Updates = updates };

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Record(messages, options, streaming: false, cancellationToken);
        if (Gate is not null)
        {
            await WaitAtGateAsync(cancellationToken);
        }

        if (Failure is not null)
        {
            throw Failure;
        }

        return Response;
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Record(messages, options, streaming: true, cancellationToken);
        for (var i = 0; i < Updates.Count; i++)
        {
            if (i == FailAfterUpdates && Failure is not null)
            {
                throw Failure;
            }

            if (i == 1 && Gate is not null)
            {
                await WaitAtGateAsync(cancellationToken);
            }

            yield return Updates[i];
        }

        if (Failure is not null && FailAfterUpdates >= Updates.Count)
        {
            throw Failure;
        }
    }

    private async Task WaitAtGateAsync(CancellationToken cancellationToken)
    {
        // A token that can never be canceled means the caller's token did not flow here: fail now instead of hanging.
        if (!cancellationToken.CanBeCanceled)
        {
            throw new InvalidOperationException("The caller's cancellation token did not reach the chat client.");
        }

        AtGate.TrySetResult();
        await Gate!.Task.WaitAsync(cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? Metadata : null;

    public void Dispose()
    {
    }

    private void Record(IEnumerable<ChatMessage> messages, ChatOptions? options, bool streaming, CancellationToken cancellationToken)
    {
        lock (_calls)
        {
            _calls.Add(new ChatCallRecord([.. messages], options, streaming, cancellationToken));
        }
    }
}

internal sealed record ChatCallRecord(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options, bool Streaming, CancellationToken Token)
{
    public ChatMessage System => Assert.Single(Messages, m => m.Role == ChatRole.System);

    public ChatMessage User => Assert.Single(Messages, m => m.Role == ChatRole.User);
}
