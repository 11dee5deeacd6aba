using System.Globalization;

namespace StreamingBeam.Testing;

/// <summary>What the fault-injecting decorators do to the calls they wrap: fail some, hang some (until canceled), and
/// answer unusable output for some, each decided from the seed and the call's key.</summary>
/// <remarks>Decisions are deterministic: the n-th call with a given key (see <see cref="BeamGateKeys"/>; an extractor's
/// key is its name) gets the same fate in every run with the same seed, whatever the order calls arrive in. A retry is
/// a new draw, so a retried call can succeed.</remarks>
public sealed class FaultInjectionOptions
{
    /// <summary>Gets or sets the seed of the decisions.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; set; }

    /// <summary>Gets or sets the share of calls that throw <see cref="SimulatedFaultException"/>, in [0, 1].</summary>
    /// <value>The default value is 0.</value>
    public double FailureRate { get; set; }

    /// <summary>Gets or sets the share of calls that never answer, until their token is canceled, in [0, 1].</summary>
    /// <value>The default value is 0.</value>
    public double HangRate { get; set; }

    /// <summary>Gets or sets the share of calls that answer unusable output (an empty text, an image without content, a
    /// NaN score, a null extractor output), in [0, 1].</summary>
    /// <value>The default value is 0.</value>
    public double InvalidOutputRate { get; set; }

    /// <summary>Throws when a rate is outside [0, 1] or the rates add up to more than 1.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message names the option and the rule.</exception>
    public void Validate()
    {
        Check(nameof(FailureRate), FailureRate);
        Check(nameof(HangRate), HangRate);
        Check(nameof(InvalidOutputRate), InvalidOutputRate);
        var sum = FailureRate + HangRate + InvalidOutputRate;
        if (sum > 1)
        {
            throw new ArgumentException(string.Create(
                CultureInfo.InvariantCulture,
                $"FaultInjectionOptions.FailureRate + HangRate + InvalidOutputRate must be at most 1; it was {sum}."));
        }
    }

    private static void Check(string name, double rate)
    {
        if (!(rate >= 0 && rate <= 1))
        {
            throw new ArgumentException(string.Create(
                CultureInfo.InvariantCulture, $"FaultInjectionOptions.{name} must be between 0 and 1 (inclusive); it was {rate}."));
        }
    }
}
