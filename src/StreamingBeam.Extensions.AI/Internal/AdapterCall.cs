using Microsoft.Extensions.AI;

namespace StreamingBeam.Extensions.AI;

/// <summary>One adapter call as its errors describe it: the operation, the model, and the prices that turn what the
/// provider reported into usage, so that a failed call is counted like a successful one.</summary>
/// <param name="Operation">The adapter's operation, for example <c>ChatClientLlm.CombineAsync</c>.</param>
/// <param name="Model">The model the call is for, or <see langword="null"/> when neither the options nor the client say.</param>
/// <param name="CostPerInputToken">The price of one input token.</param>
/// <param name="CostPerOutputToken">The price of one output token.</param>
/// <param name="CostPerImage">The price of one image.</param>
internal readonly record struct AdapterCall(
    string Operation,
    string? Model,
    decimal CostPerInputToken,
    decimal CostPerOutputToken,
    decimal CostPerImage = 0m)
{
    // The adapters have no clock of their own; only a Retry-After given as a date without a Date header reads it.
    private static readonly TimeProvider Clock = TimeProvider.System;

    /// <summary>Prices what the provider reported.</summary>
    public ProviderUsage Usage(UsageDetails? details, int images = 0) =>
        StreamingBeam.Extensions.AI.Usage.From(details, CostPerInputToken, CostPerOutputToken, images, CostPerImage);

    /// <summary>Translates what the client threw (see <see cref="ProviderErrors"/>), with the usage the provider
    /// reported before it failed.</summary>
    public ProviderException Failure(Exception exception, UsageDetails? usageSoFar) =>
        ProviderErrors.Translate(exception, Operation, Model, Usage(usageSoFar), Clock.GetUtcNow());
}
