namespace StreamingBeam.Testing;

/// <summary>An <see cref="IImageGenerator"/> decorator whose every call first waits at a <see cref="CallGate"/> under
/// <see cref="BeamGateKeys.Image"/>, then goes to the inner generator.</summary>
public sealed class GatingImageGenerator : DelegatingImageGenerator
{
    private readonly CallGate _gate;

    /// <summary>Initializes a new instance of the <see cref="GatingImageGenerator"/> class.</summary>
    /// <param name="innerGenerator">The generator a released call goes to.</param>
    /// <param name="gate">The gate every call waits at.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public GatingImageGenerator(IImageGenerator innerGenerator, CallGate gate)
        : base(innerGenerator)
    {
        ArgumentNullException.ThrowIfNull(gate);
        _gate = gate;
    }

    /// <inheritdoc/>
    public override async Task<GeneratedImage> GenerateAsync(string prompt, CancellationToken cancellationToken = default)
    {
        await _gate.EnterAsync(BeamGateKeys.Image(prompt), cancellationToken).ConfigureAwait(false);
        return await base.GenerateAsync(prompt, cancellationToken).ConfigureAwait(false);
    }
}
