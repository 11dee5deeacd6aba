using System.Globalization;

namespace StreamingBeam.Testing;

/// <summary>The failure a simulated provider throws when fault injection makes a call fail.</summary>
/// <remarks>Catch this type to tell injected faults from real defects in a test or a benchmark. An injected fault stands
/// for a transient failure of a real service (a 503, a dropped connection): <see cref="ProviderException.IsTransient"/>
/// is <see langword="true"/>, so the engines retry it when retries are on.</remarks>
public sealed class SimulatedFaultException : ProviderException
{
    /// <summary>Initializes a new instance of the <see cref="SimulatedFaultException"/> class.</summary>
    public SimulatedFaultException()
        : base("A simulated provider call failed by fault injection.")
    {
        IsTransient = true;
    }

    /// <summary>Initializes a new instance of the <see cref="SimulatedFaultException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public SimulatedFaultException(string message)
        : base(message)
    {
        IsTransient = true;
    }

    /// <summary>Initializes a new instance of the <see cref="SimulatedFaultException"/> class with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public SimulatedFaultException(string message, Exception innerException)
        : base(message, innerException)
    {
        IsTransient = true;
    }

    /// <summary>Initializes a new instance of the <see cref="SimulatedFaultException"/> class for one failed call.</summary>
    /// <param name="provider">The provider that failed, for example <c>SimulatedLlmClient</c>.</param>
    /// <param name="operation">The operation that failed.</param>
    /// <param name="requestKey">The stable hash of the request, which identifies the call across runs.</param>
    public SimulatedFaultException(string provider, SimulatedOperation operation, ulong requestKey)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"Simulated fault: {provider} failed the {operation} call for request {requestKey:x16} (fault injection, FailureRate)."))
    {
        Provider = provider;
        SimulatedOperation = operation;
        Operation = SimulationCore.OperationName(provider, operation);
        RequestKey = requestKey;
        IsTransient = true;
    }

    /// <summary>Gets the provider that failed, or <see langword="null"/> when not given.</summary>
    public string? Provider { get; }

    /// <summary>Gets the operation that failed, or <see langword="null"/> when not given.</summary>
    public SimulatedOperation? SimulatedOperation { get; }

    /// <summary>Gets the stable hash of the failed request, or 0 when not given. The same request fails with the same key in every run.</summary>
    public ulong RequestKey { get; }
}
