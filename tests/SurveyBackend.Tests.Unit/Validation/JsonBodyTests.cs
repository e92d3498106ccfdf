using System.Text;
using SurveyBackend.Languages;
using SurveyBackend.Validation;

namespace SurveyBackend.Tests.Unit.Validation;

/// <summary>The one reader on its own: paths, repeats, types, nulls, and the text-or-language shape.</summary>
public sealed class JsonBodyTests
{
    private sealed record Shape(string? Name, int? Size, LocalizedText? Title, List<string?>? Tags, bool? Flag);

    private static JsonRead<Shape> Read(string json, string language = UiText.English)
    {
        var read = JsonBody.Read(Encoding.UTF8.GetBytes(json), UiText.For(language), root =>
        {
            var f = root.Fields("name", "size", "title", "tags", "flag");
            return new Shape(f["name"].String(nullable: false), f["size"].Int(), f["title"].LocalizedText(), f["tags"].List(t => t.String()), f["flag"].Bool());
        });
        Assert.True(read.IsValid);
        return read.Value!;
    }

    private static string[] Paths(JsonRead<Shape> read) => [.. read.Faults.Select(f => f.Key)];

    [Fact]
    public void AValidBody_ReadsEveryValue_WithNoFault()
    {
        var read = Read("""{ "name": "n", "size": 3, "title": { "en": "T", "cy": "Teitl" }, "tags": ["a", null], "flag": true }""");

        Assert.Empty(read.Faults);
        Assert.Equal(new Shape("n", 3, null, null, true), read.Value with { Title = null, Tags = null });
        Assert.Equal("T", read.Value.Title!.English);
        Assert.Equal("Teitl", read.Value.Title.ByLanguage["cy"]);
        Assert.False(read.Value.Title.IsPlain);
        Assert.Equal(["a", null], read.Value.Tags!);
    }

    [Fact]
    public void EveryFault_IsAtItsOwnPath_AllAtOnce()
    {
        var read = Read("""{ "name": null, "size": 2.5, "title": { "en": 5, "fr": "x", "cy": "a", "cy": "b" }, "tags": ["a", 7], "flag": "yes", "name": "again", "zzz": 1 }""");

        Assert.Equal(["flag", "name", "size", "tags[1]", "title.cy", "title.en", "title.fr", "zzz"], Paths(read).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MissingValues_AreNull_WithoutAFault_RequirednessIsForTheRules()
    {
        var read = Read("{}");

        Assert.Empty(read.Faults);
        Assert.Equal(new Shape(null, null, null, null, null), read.Value);
    }

    [Fact]
    public void AText_IsAStringOrAnObjectOfLanguages_NothingElse()
    {
        Assert.True(Read("""{ "title": "T" }""").Value.Title!.IsPlain);
        Assert.Equal(["title"], Paths(Read("""{ "title": ["T"] }""")));
        Assert.Equal(["title.cy"], Paths(Read("""{ "title": { "en": "T", "cy": null } }""")));
    }

    [Fact]
    public void Messages_AreInTheReadingsLanguage()
    {
        var read = Read("""{ "zzz": 1 }""", UiText.Welsh);

        Assert.Equal([UiText.For(UiText.Welsh)["error.notAllowed"]], read.Faults.Single().Value);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{ \"a\": ")]
    [InlineData("\"text\"")]
    public void ABodyThatIsNotAnObject_FailsAtTheWholeBody(string json)
    {
        var read = JsonBody.Read(Encoding.UTF8.GetBytes(json), UiText.For(UiText.English), _ => "never");

        Assert.False(read.IsValid);
        Assert.Equal([""], read.Errors.Select(e => e.Key));
    }
}
