namespace StreamingBeam.Tests.Diagnostics;

/// <summary>Tests that read the process-wide StreamingBeam meter (which engines built without an <c>IMeterFactory</c>
/// share) run alone, after every parallel test, so no other test's measurements reach their collectors.</summary>
[CollectionDefinition(nameof(SharedMeterTests), DisableParallelization = true)]
public sealed class SharedMeterTests
{
}
