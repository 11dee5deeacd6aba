using Microsoft.Extensions.Options;

namespace StreamingBeam.Extraction.Internal;

/// <summary>The validated extractor graph and preprocessors of an engine, built once and shared by every run.</summary>
internal sealed class ExtractionPlan
{
    private ExtractionPlan(ExtractorPlan[] extractors, Dictionary<string, int> byName, PreprocessorRegistration[] preprocessors,
        Dictionary<string, int> preprocessorsByName, int[][] tiers)
    {
        Extractors = extractors;
        ByName = byName;
        Preprocessors = preprocessors;
        PreprocessorsByName = preprocessorsByName;
        Tiers = tiers;
    }

    public ExtractorPlan[] Extractors { get; }

    public Dictionary<string, int> ByName { get; }

    public PreprocessorRegistration[] Preprocessors { get; }

    public Dictionary<string, int> PreprocessorsByName { get; }

    /// <summary>Gets the indexes of the extractors of each distinct tier, lowest tier first.</summary>
    public int[][] Tiers { get; }

    /// <summary>Validates the registrations and builds the graph; every problem is reported in one exception.</summary>
    public static ExtractionPlan Create(IEnumerable<ExtractorRegistration> registrations, IEnumerable<PreprocessorRegistration>? preprocessors,
        ExtractionRunOptions defaults, TimeProvider time)
    {
        var errors = new List<string>();
        defaults.Validate(errors);

        var extractors = new List<ExtractorPlan>();
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        var position = 0;
        foreach (var registration in registrations)
        {
            if (registration is null)
            {
                errors.Add($"Extractor registration at position {position} is null.");
            }
            else
            {
                var name = NameOf(registration.Extractor, position, errors, out var unreadable);
                if (unreadable)
                {
                    // Reported by NameOf; the extractor cannot be told apart from the others without its name.
                }
                else if (string.IsNullOrWhiteSpace(name))
                {
                    errors.Add($"Extractor at position {position} ({registration.Extractor.GetType().Name}) has no name: IExtractor.Name must not be null, empty or white space.");
                }
                else if (!byName.TryAdd(name, extractors.Count))
                {
                    errors.Add($"Extractor name '{name}' is registered more than once; names must be unique.");
                }
                else
                {
                    registration.Options.Validate(name, errors);
                    extractors.Add(new ExtractorPlan(extractors.Count, name, registration.Extractor, registration.Options, time));
                }
            }

            position++;
        }

        var plans = extractors.ToArray();
        ResolveDependencies(plans, byName, errors);
        if (errors.Count == 0)
        {
            CheckForCycle(plans, errors);
        }

        var tiers = AssignTiers(plans, errors);

        var preprocessorList = new List<PreprocessorRegistration>();
        var preprocessorsByName = new Dictionary<string, int>(StringComparer.Ordinal);
        position = 0;
        foreach (var preprocessor in preprocessors ?? [])
        {
            if (preprocessor is null)
            {
                errors.Add($"Preprocessor registration at position {position} is null.");
            }
            else if (!preprocessorsByName.TryAdd(preprocessor.Name, preprocessorList.Count))
            {
                errors.Add($"Preprocessor for artifact '{preprocessor.Name}' is registered more than once; artifact names must be unique.");
            }
            else
            {
                preprocessorList.Add(preprocessor);
            }

            position++;
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(ExtractionEngine), errors);
        }

        return new ExtractionPlan(plans, byName, [.. preprocessorList], preprocessorsByName, tiers);
    }

    /// <summary>Reads an extractor's name, turning a getter that throws into a configuration error like any other.</summary>
    private static string? NameOf(IExtractor extractor, int position, List<string> errors, out bool unreadable)
    {
        try
        {
            unreadable = false;
            return extractor.Name;
        }
#pragma warning disable CA1031 // Whatever the getter throws is reported with every other registration problem.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            unreadable = true;
            errors.Add($"Extractor at position {position} ({extractor.GetType().Name}): reading IExtractor.Name threw {ex.GetType().Name}: {ex.Message}");
            return null;
        }
    }

    private static void ResolveDependencies(ExtractorPlan[] plans, Dictionary<string, int> byName, List<string> errors)
    {
        var dependents = new List<int>?[plans.Length];
        foreach (var plan in plans)
        {
            if (plan.DependsOnNames.Length == 0)
            {
                continue;
            }

            var dependencies = new List<int>(plan.DependsOnNames.Length);
            for (var at = 0; at < plan.DependsOnNames.Length; at++)
            {
                var dependencyName = plan.DependsOnNames[at];
                if (dependencyName is null)
                {
                    errors.Add($"Extractor '{plan.Name}': ExtractorOptions.DependsOn has a null entry at position {at}; list extractor names only.");
                }
                else if (!byName.TryGetValue(dependencyName, out var dependency))
                {
                    errors.Add($"Extractor '{plan.Name}': ExtractorOptions.DependsOn names '{dependencyName}', which is not a registered extractor.");
                }
                else if (dependency == plan.Index)
                {
                    errors.Add($"Extractor '{plan.Name}': ExtractorOptions.DependsOn names the extractor itself.");
                }
                else if (!dependencies.Contains(dependency))
                {
                    dependencies.Add(dependency);
                    (dependents[dependency] ??= []).Add(plan.Index);
                }
            }

            plan.Dependencies = [.. dependencies];
        }

        for (var i = 0; i < plans.Length; i++)
        {
            if (dependents[i] is { } list)
            {
                plans[i].Dependents = [.. list];
            }
        }
    }

    // Kahn's algorithm, O(extractors + dependencies); when some extractors are left over, walk back along their
    // unfinished dependencies (each has at least one) until a name repeats, and report that cycle.
    private static void CheckForCycle(ExtractorPlan[] plans, List<string> errors)
    {
        var pending = new int[plans.Length];
        var queue = new Queue<int>();
        for (var i = 0; i < plans.Length; i++)
        {
            pending[i] = plans[i].Dependencies.Length;
            if (pending[i] == 0)
            {
                queue.Enqueue(i);
            }
        }

        var done = 0;
        while (queue.TryDequeue(out var current))
        {
            done++;
            foreach (var dependent in plans[current].Dependents)
            {
                if (--pending[dependent] == 0)
                {
                    queue.Enqueue(dependent);
                }
            }
        }

        if (done == plans.Length)
        {
            return;
        }

        var start = Array.FindIndex(pending, p => p > 0);
        var seenAt = new Dictionary<int, int>();
        var path = new List<int>();
        var node = start;
        while (!seenAt.ContainsKey(node))
        {
            seenAt[node] = path.Count;
            path.Add(node);
            node = Array.Find(plans[node].Dependencies, d => pending[d] > 0);
        }

        var cycle = path.Skip(seenAt[node]).Append(node).Select(i => $"'{plans[i].Name}'");
        errors.Add($"ExtractorOptions.DependsOn forms a cycle: {string.Join(" -> ", cycle)} (each depends on the next).");
    }

    private static int[][] AssignTiers(ExtractorPlan[] plans, List<string> errors)
    {
        var distinct = plans.Select(p => p.Tier).Distinct().Order().ToArray();
        var tiers = new List<int>[distinct.Length];
        for (var t = 0; t < tiers.Length; t++)
        {
            tiers[t] = [];
        }

        foreach (var plan in plans)
        {
            plan.TierIndex = Array.BinarySearch(distinct, plan.Tier);
            tiers[plan.TierIndex].Add(plan.Index);
            foreach (var dependency in plan.Dependencies)
            {
                if (plans[dependency].Tier > plan.Tier)
                {
                    errors.Add($"Extractor '{plan.Name}' (tier {plan.Tier}) depends on '{plans[dependency].Name}' (tier {plans[dependency].Tier}): a dependency's ExtractorOptions.Tier must not be higher than its dependent's.");
                }
            }
        }

        return [.. tiers.Select(t => t.ToArray())];
    }
}
