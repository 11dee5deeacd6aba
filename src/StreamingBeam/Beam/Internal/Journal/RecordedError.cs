namespace StreamingBeam.Beam.Internal;

/// <summary>A provider failure as the journal keeps it: the exception's type and message, and what a
/// <see cref="ProviderException"/> says about the call.</summary>
/// <remarks>
/// Exceptions cannot be stored as objects, so a resumed search reports a recorded failure with an exception rebuilt from
/// this: the same message, and the same type for <see cref="TimeoutException"/>, <see cref="ProviderException"/> and
/// <see cref="ProviderOutputException"/> (with their operation, model, status, usage and transient flag). A failure of
/// any other type comes back as a <see cref="ProviderException"/> whose message starts with the original type's name.
/// Messages never quote model output (see <see cref="ProviderOutputException"/>), so none is stored here either.
/// </remarks>
internal sealed class RecordedError
{
    public required string Type { get; init; }

    public required string Message { get; init; }

    public string? Operation { get; init; }

    public string? Model { get; init; }

    public int? StatusCode { get; init; }

    public bool Transient { get; init; }

    public ProviderUsage Usage { get; init; }

    public static RecordedError From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var provider = exception as ProviderException;
        return new RecordedError
        {
            Type = exception.GetType().FullName ?? exception.GetType().Name,
            Message = exception.Message,
            Operation = provider?.Operation,
            Model = provider?.Model,
            StatusCode = provider?.StatusCode,
            Transient = ProviderFailures.IsTransient(exception),
            Usage = provider?.Usage ?? default,
        };
    }

    /// <summary>The exception a resumed search reports for this failure.</summary>
    public Exception ToException()
    {
        if (Type == typeof(TimeoutException).FullName)
        {
            return new TimeoutException(Message);
        }

        if (Type == typeof(ProviderOutputException).FullName)
        {
            return new ProviderOutputException(Message) { Operation = Operation, Model = Model, StatusCode = StatusCode, Usage = Usage };
        }

        var message = Type == typeof(ProviderException).FullName ? Message : $"{Type}: {Message}";
        return new ProviderException(message) { Operation = Operation, Model = Model, StatusCode = StatusCode, Usage = Usage, IsTransient = Transient };
    }
}
