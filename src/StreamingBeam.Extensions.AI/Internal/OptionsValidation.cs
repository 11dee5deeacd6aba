namespace StreamingBeam.Extensions.AI;

/// <summary>Turns the errors found in an options object into one exception that lists them all.</summary>
internal static class OptionsValidation
{
    public static void ThrowIfAny(string optionsType, List<string> errors)
    {
        if (errors.Count == 0)
        {
            return;
        }

        // No parameter name: the same check runs for a constructor's options and for a DI method's configure callback.
        throw new ArgumentException($"{optionsType} is not valid: " + string.Join(" ", errors));
    }

    public static void NonNegative(string optionName, decimal value, List<string> errors)
    {
        if (value < 0m)
        {
            errors.Add($"{optionName} must be zero or greater; it was {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }
    }

    public static void NotBlank(string optionName, string? value, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{optionName} must not be null, empty or white space.");
        }
    }
}
