using System.Text.Json.Nodes;

namespace StreamingBeam.Tests.Providers;

public class ContractTypesTests
{
    [Fact]
    public void ArtifactKey_ComparesByName()
    {
        var a = new ArtifactKey<int[]>("depth");
        var b = new ArtifactKey<int[]>("depth");

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, new ArtifactKey<int[]>("segmentation"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void ArtifactKey_BlankName_Throws(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => new ArtifactKey<int>(name));
        Assert.Equal("name", ex.ParamName);
    }

    [Fact]
    public void ExtractorOutput_NullTokens_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new ExtractorOutput(null!));
    }

    [Fact]
    public void GeneratedImage_HasContent_OnlyWithBytesOrUri()
    {
        Assert.False(new GeneratedImage().HasContent);
        Assert.True(new GeneratedImage { Data = new byte[] { 1 } }.HasContent);
        Assert.True(new GeneratedImage { Uri = new Uri("https://example.invalid/a.png") }.HasContent);
    }

    [Fact]
    public void RefineRequest_Current_IsTheDimensionBeingRefined()
    {
        var what = new RefineRequest { UserPrompt = "u", Dimension = PromptDimension.What, What = "w", How = "h", Critique = "c", VariantIndex = 0 };
        var how = new RefineRequest { UserPrompt = "u", Dimension = PromptDimension.How, What = "w", How = "h", Critique = "c", VariantIndex = 0 };

        Assert.Equal("w", what.Current);
        Assert.Equal("h", how.Current);
    }

    [Fact]
    public async Task Extractor_CanBeSubstituted()
    {
        var extractor = Substitute.For<IExtractor>();
        extractor.Name.Returns("colour");
        extractor.ExtractAsync(Arg.Any<ExtractionContext>(), Arg.Any<CancellationToken>())
            .Returns(new ExtractorOutput(new JsonObject { ["palette"] = "warm" }));

        var output = await extractor.ExtractAsync(Substitute.For<ExtractionContext>());

        Assert.Equal("warm", output.Tokens["palette"]!.GetValue<string>());
    }
}
