using Microsoft.Extensions.Options;
using static StreamingBeam.Tests.Extraction.ExtractionTestKit;

namespace StreamingBeam.Tests.Extraction;

public class ExtractionValidationTests
{
    [Fact]
    public void RunAsync_InvalidRunOptions_ThrowsEagerlyListingEveryError()
    {
        var engine = new ExtractionEngine([Reg(new SyncExtractor("a"))]);
        var options = new ExtractionRunOptions
        {
            Mode = (ExtractionMode)7,
            MaxConcurrency = 0,
            Budget = -1m,
            CoalesceWindow = TimeSpan.FromSeconds(-1),
        };

        var ex = Assert.Throws<OptionsValidationException>(() => engine.ExtractStreamingAsync(Input, options));

        Assert.Equal(typeof(ExtractionRunOptions), ex.OptionsType);
        Assert.Equal(
        [
            "ExtractionRunOptions.Mode must be Atomic or Tiered; it was 7.",
            "ExtractionRunOptions.MaxConcurrency must be at least 1, or null for no limit; it was 0.",
            "ExtractionRunOptions.Budget must not be negative, or null for no budget; it was -1.",
            "ExtractionRunOptions.CoalesceWindow must be zero or positive and at most 49.17:02:47.2940000; it was -00:00:01.",
        ], ex.Failures);
        Assert.Throws<OptionsValidationException>(() => engine.ExtractBatchesStreamingAsync(Input, options));
    }

    [Fact]
    public void Constructor_InvalidExtractorOptions_ThrowsListingEveryErrorWithTheExtractorsName()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new ExtractionEngine(
        [
            Reg(new SyncExtractor("colour"), o => { o.Timeout = TimeSpan.Zero; o.Cost = -2m; o.Weight = double.NaN; }),
            Reg(new SyncExtractor("depth"), o => o.Timeout = TimeSpan.FromDays(100)),
        ]));

        Assert.Equal(typeof(ExtractionEngine), ex.OptionsType);
        Assert.Equal(
        [
            "Extractor 'colour': ExtractorOptions.Timeout must be positive and at most 49.17:02:47.2940000, or null for no limit; it was 00:00:00.",
            "Extractor 'colour': ExtractorOptions.Cost must not be negative; it was -2.",
            "Extractor 'colour': ExtractorOptions.Weight must be a finite number; it was NaN.",
            "Extractor 'depth': ExtractorOptions.Timeout must be positive and at most 49.17:02:47.2940000, or null for no limit; it was 100.00:00:00.",
        ], ex.Failures);
    }

    [Fact]
    public void Constructor_BadNamesAndDependencies_ThrowsListingEveryError()
    {
        var blank = Substitute.For<IExtractor>();
        blank.Name.Returns(" ");

        var ex = Assert.Throws<OptionsValidationException>(() => new ExtractionEngine(
        [
            Reg(new SyncExtractor("a"), o => o.DependsOn.Add("colr")),
            Reg(new SyncExtractor("a")),
            Reg(blank),
            Reg(new SyncExtractor("self"), o => o.DependsOn.Add("self")),
        ]));

        Assert.Equal(
        [
            "Extractor name 'a' is registered more than once; names must be unique.",
            $"Extractor at position 2 ({blank.GetType().Name}) has no name: IExtractor.Name must not be null, empty or white space.",
            "Extractor 'a': ExtractorOptions.DependsOn names 'colr', which is not a registered extractor.",
            "Extractor 'self': ExtractorOptions.DependsOn names the extractor itself.",
        ], ex.Failures);
    }

    [Fact]
    public void Constructor_DependencyCycle_ThrowsNamingTheCycle()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new ExtractionEngine(
        [
            Reg(new SyncExtractor("root")),
            Reg(new SyncExtractor("a"), o => { o.DependsOn.Add("root"); o.DependsOn.Add("c"); }),
            Reg(new SyncExtractor("b"), o => o.DependsOn.Add("a")),
            Reg(new SyncExtractor("c"), o => o.DependsOn.Add("b")),
            Reg(new SyncExtractor("downstream"), o => o.DependsOn.Add("c")),
        ]));

        var failure = Assert.Single(ex.Failures);
        Assert.Equal("ExtractorOptions.DependsOn forms a cycle: 'a' -> 'c' -> 'b' -> 'a' (each depends on the next).", failure);
    }

    [Fact]
    public void Constructor_DependencyInALaterTier_Throws()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new ExtractionEngine(
        [
            Reg(new SyncExtractor("late"), o => o.Tier = 2),
            Reg(new SyncExtractor("early"), o => o.DependsOn.Add("late")),
        ]));

        Assert.Equal(
            ["Extractor 'early' (tier 0) depends on 'late' (tier 2): a dependency's ExtractorOptions.Tier must not be higher than its dependent's."],
            ex.Failures);
    }

    [Fact]
    public void Constructor_DuplicatePreprocessorAndInvalidDefaults_ThrowsListingBoth()
    {
        var first = PreprocessorRegistration.Create(new ArtifactKey<int>("depth"), (_, _) => ValueTask.FromResult(1));
        var second = PreprocessorRegistration.Create(new ArtifactKey<string>("depth"), (_, _) => ValueTask.FromResult("x"));

        var ex = Assert.Throws<OptionsValidationException>(() => new ExtractionEngine(
            [Reg(new SyncExtractor("a"))],
            [first, second],
            new ExtractionRunOptions { MaxConcurrency = -3 }));

        Assert.Equal(
        [
            "ExtractionRunOptions.MaxConcurrency must be at least 1, or null for no limit; it was -3.",
            "Preprocessor for artifact 'depth' is registered more than once; artifact names must be unique.",
        ], ex.Failures);
    }

    [Fact]
    public void Constructor_OptionsChangedAfterBuild_DoNotAffectTheEngine()
    {
        var options = new ExtractorOptions();
        var engine = new ExtractionEngine([new ExtractorRegistration(new SyncExtractor("a"), options)]);

        options.DependsOn.Add("missing"); // would be invalid, but the engine took a copy

        Assert.Equal(["a"], engine.ExtractorNames);
    }

    [Fact]
    public void Registrations_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new ExtractorRegistration(null!));
        Assert.Throws<ArgumentNullException>(() => new ExtractionEngine(null!));
        Assert.Throws<ArgumentNullException>(() => PreprocessorRegistration.Create<int>(null!, (_, _) => default));
        Assert.Throws<ArgumentNullException>(() => PreprocessorRegistration.Create(new ArtifactKey<int>("k"), null!));
    }
}
