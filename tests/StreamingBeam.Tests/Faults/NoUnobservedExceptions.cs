namespace StreamingBeam.Tests.Faults;

/// <summary>The fault tests hook <see cref="TaskScheduler.UnobservedTaskException"/>, which is process-wide, so they
/// run alone, never beside other tests whose garbage could be collected during theirs.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultSuite
{
    public const string Name = "Fault suite (alone: watches unobserved task exceptions)";
}

/// <summary>Runs a scenario and fails if any task exception went unobserved while it ran.</summary>
internal static class NoUnobservedExceptions
{
    public static async Task RunAsync(Func<Task> scenario)
    {
        // Flush what earlier tests left for the finalizer, so that only this scenario's tasks are judged.
        Collect();
        var unobserved = new List<Exception>();
        void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            lock (unobserved)
            {
                unobserved.AddRange(e.Exception.Flatten().InnerExceptions);
            }
        }

        TaskScheduler.UnobservedTaskException += OnUnobserved;
        try
        {
            await scenario();
            Collect();
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= OnUnobserved;
        }

        lock (unobserved)
        {
            Assert.True(unobserved.Count == 0, "Unobserved task exceptions: " + string.Join(" | ", unobserved.Select(e => e.GetType().Name + ": " + e.Message)));
        }
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
