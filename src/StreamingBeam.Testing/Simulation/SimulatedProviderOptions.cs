using System.Globalization;

namespace StreamingBeam.Testing;

/// <summary>What every simulated provider shares: latency, fault injection, how repeated calls draw, and a quota.</summary>
/// <remarks>
/// <para>
/// A provider validates its options when it is constructed and copies them: changing an options object later does
/// not change a provider built from it. Every draw a provider makes (latency, fault, output) is a pure function of
/// its seed, the operation and the request's content, never of call order.
/// </para>
/// <para>
/// Fault injection draws one number per call: below <see cref="FailureRate"/> the call throws
/// <see cref="SimulatedFaultException"/>; in the next <see cref="HangRate"/> it waits until canceled; in the next
/// <see cref="InvalidOutputRate"/> it returns bad output; otherwise it succeeds. The three rates add up to at most 1.
/// </para>
/// </remarks>
public abstract class SimulatedProviderOptions
{
    /// <summary>The parameter that validation errors name: the provider constructors' <c>options</c>.</summary>
    private protected static readonly string OptionsParameter = "options";

    /// <summary>Initializes a new instance of the <see cref="SimulatedProviderOptions"/> class.</summary>
    /// <param name="latency">The default latency distribution of the provider.</param>
    private protected SimulatedProviderOptions(LatencyDistribution latency) => Latency = latency;

    /// <summary>Gets or sets the latency distribution of every call, unless <see cref="LatencyOverrides"/> has one for the call's operation.</summary>
    /// <value>The default value depends on the provider; see its options class.</value>
    public LatencyDistribution Latency { get; set; }

    /// <summary>Gets latency distributions for single operations, which replace <see cref="Latency"/> for them
    /// (for example a slower <see cref="SimulatedOperation.Critique"/>).</summary>
    /// <value>The default value is an empty dictionary.</value>
    /// <remarks>Keys must be operations this provider performs.</remarks>
    public IDictionary<SimulatedOperation, LatencyDistribution> LatencyOverrides { get; } = new Dictionary<SimulatedOperation, LatencyDistribution>();

    /// <summary>Gets or sets the share of calls that throw <see cref="SimulatedFaultException"/> after their latency, from 0 to 1.</summary>
    /// <value>The default value is 0.</value>
    public double FailureRate { get; set; }

    /// <summary>Gets or sets the share of calls that never complete and end only when their token is canceled, from 0 to 1.</summary>
    /// <value>The default value is 0.</value>
    public double HangRate { get; set; }

    /// <summary>Gets or sets the share of calls that return bad output after their latency, from 0 to 1.</summary>
    /// <value>The default value is 0.</value>
    /// <remarks>What bad output means depends on the provider: empty or white-space text, a null or empty image,
    /// a NaN or out-of-range score, a null extractor output.</remarks>
    public double InvalidOutputRate { get; set; }

    /// <summary>Gets or sets a value indicating whether repeating an identical call draws its fault and latency again.</summary>
    /// <value>The default value is <see langword="false"/>: an identical request always gets the same fault and latency,
    /// so a failed call fails again when retried (a permanent fault).</value>
    /// <remarks>
    /// When <see langword="true"/>, the n-th call with the same request mixes n into its fault and latency draws, so a
    /// retry can succeed (a transient fault), while the output of a successful call stays the same. The n-th repeat of
    /// a request is still the same in every run, but only if each request's repeats are made in the same number.
    /// </remarks>
    public bool RedrawOnRepeat { get; set; }

    /// <summary>Gets or sets the provider's quota, a token bucket that refuses calls over it with
    /// <see cref="ProviderRateLimitedException"/> and a <see cref="ProviderRateLimitedException.RetryAfter"/>, or
    /// <see langword="null"/> for no quota.</summary>
    /// <value>The default value is <see langword="null"/>: every call is admitted.</value>
    /// <remarks>The quota is checked first: a refused call answers at once, with no latency and no fault draw, and does
    /// not count as a repeat for <see cref="RedrawOnRepeat"/>. See <see cref="SimulatedQuotaOptions"/>.</remarks>
    public SimulatedQuotaOptions? Quota { get; set; }

    /// <summary>Gets the name used in validation messages.</summary>
    private protected abstract string OptionsName { get; }

    /// <summary>Gets the operations the provider performs.</summary>
    private protected abstract IReadOnlyCollection<SimulatedOperation> Operations { get; }

    /// <summary>Checks every option and throws on the first invalid one, naming the option and the rule.</summary>
    internal virtual void Validate()
    {
        if (Latency is null)
        {
            throw new ArgumentNullException(OptionsParameter, $"{OptionsName}.{nameof(Latency)} must not be null.");
        }

        foreach (var pair in LatencyOverrides)
        {
            if (!Operations.Contains(pair.Key))
            {
                throw new ArgumentException(
                    $"{OptionsName}.{nameof(LatencyOverrides)} has an entry for {pair.Key}, which this provider never performs; it performs {string.Join(", ", Operations)}.",
                    OptionsParameter);
            }

            if (pair.Value is null)
            {
                throw new ArgumentNullException(OptionsParameter, $"{OptionsName}.{nameof(LatencyOverrides)}[{pair.Key}] must not be null.");
            }
        }

        Quota?.Validate($"{OptionsName}.{nameof(Quota)}", OptionsParameter);
        CheckRate(FailureRate, nameof(FailureRate));
        CheckRate(HangRate, nameof(HangRate));
        CheckRate(InvalidOutputRate, nameof(InvalidOutputRate));
        var sum = FailureRate + HangRate + InvalidOutputRate;
        if (sum > 1 + 1e-12)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"{OptionsName}.{nameof(FailureRate)} + {nameof(HangRate)} + {nameof(InvalidOutputRate)} must be at most 1; it was {sum}."),
                OptionsParameter);
        }
    }

    /// <summary>Checks a rate option.</summary>
    private protected void CheckRate(double value, string name)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(OptionsParameter, value, $"{OptionsName}.{name} must be between 0 and 1 (inclusive).");
        }
    }

    /// <summary>Checks a cost option.</summary>
    private protected void CheckCost(decimal value, string name)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(OptionsParameter, value, $"{OptionsName}.{name} must be zero or positive.");
        }
    }

    /// <summary>Gets the distribution for one operation.</summary>
    internal LatencyDistribution LatencyFor(SimulatedOperation operation) =>
        LatencyOverrides.TryGetValue(operation, out var distribution) ? distribution : Latency;
}
