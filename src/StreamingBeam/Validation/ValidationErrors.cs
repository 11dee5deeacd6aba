using System.Globalization;

namespace StreamingBeam.Validation;

/// <summary>Collects the rules a set of options breaks, in the one message style every StreamingBeam package uses:
/// <c>{Owner}.{Option} must be {rule}; it was {value}.</c></summary>
/// <remarks>Every problem is collected before anything throws, so a caller fixes all of them in one go. Values are
/// formatted with the invariant culture, so messages read the same on every machine.</remarks>
internal sealed class ValidationErrors(string prefix)
{
    private readonly List<string> _errors = [];

    public IReadOnlyList<string> Errors => _errors;

    public int Count => _errors.Count;

    /// <summary>Records that <paramref name="option"/> must be <paramref name="rule"/> but was <paramref name="actual"/>.</summary>
    public void Add(string option, string rule, object? actual) =>
        _errors.Add(string.Create(CultureInfo.InvariantCulture, $"{prefix}{option} must be {rule}; it was {actual ?? "null"}."));

    /// <summary>Records a rule that is not about one value (for example a missing object).</summary>
    public void Add(string message) => _errors.Add(message);

    /// <summary>Records every error of <paramref name="nested"/>, which already carry their own prefix.</summary>
    public void AddRange(IEnumerable<string> nested) => _errors.AddRange(nested);

    /// <summary>Checks that a timer's delay is in range: positive (or zero when allowed) and at most what a timer accepts.</summary>
    public void AddIfBadDelay(string option, TimeSpan? delay, bool zeroAllowed, string whenNull)
    {
        if (delay is not { } value)
        {
            return;
        }

        if ((zeroAllowed ? value < TimeSpan.Zero : value <= TimeSpan.Zero) || value > TimerLimits.MaxDelay)
        {
            var low = zeroAllowed ? "zero or positive" : "positive";
            Add(option, $"{low} and at most {TimerLimits.MaxDelay}{whenNull}", value);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every error, one per line, when there is any.</summary>
    public static void ThrowIfAny(IReadOnlyList<string> errors, string what, string paramName)
    {
        if (errors.Count > 0)
        {
            throw new ArgumentException(
                $"Invalid {what}:" + Environment.NewLine + "- " + string.Join(Environment.NewLine + "- ", errors), paramName);
        }
    }
}
