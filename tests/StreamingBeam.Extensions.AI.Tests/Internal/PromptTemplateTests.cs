namespace StreamingBeam.Extensions.AI.Tests.Internal;

public class PromptTemplateTests
{
    [Fact]
    public void Render_ValuesContainingPlaceholders_AreInsertedVerbatim()
    {
        var rendered = PromptTemplate.Render(
            "A {{ What }} and {{How}}; {\"prompt\": \"x\"}",
            name => name switch { "What" => "{{How}}", "How" => "oil", _ => null });

        Assert.Equal("A {{How}} and oil; {\"prompt\": \"x\"}", rendered);
    }

    [Fact]
    public void Render_UnknownPlaceholder_StaysAsWritten()
    {
        var rendered = PromptTemplate.Render("{{Known}} {{Unknown}}", name => name == "Known" ? "k" : null);

        Assert.Equal("k {{Unknown}}", rendered);
    }

    [Fact]
    public void Validate_UnknownAndMissingPlaceholders_ReportsEach()
    {
        var errors = new List<string>();

        PromptTemplate.Validate("Opts.T", "Use {{Wat}} here", ["What", "How"], ["What"], errors);

        Assert.Equal(
            [
                "Opts.T uses the unknown placeholder {{Wat}}; it may use {{What}}, {{How}}.",
                "Opts.T must contain the placeholder {{What}}.",
            ],
            errors);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Validate_BlankTemplate_ReportsIt(string? template)
    {
        var errors = new List<string>();

        PromptTemplate.Validate("Opts.T", template, ["What"], ["What"], errors);

        Assert.Equal(["Opts.T must not be null, empty or white space."], errors);
    }
}
