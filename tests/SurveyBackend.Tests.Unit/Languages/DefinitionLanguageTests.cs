using System.Text;
using SurveyBackend.Languages;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Unit.Languages;

public class DefinitionLanguageTests
{
    private const string Options = """[{ "id": "a", "text": "A" }, { "id": "b", "text": "B" }]""";
    private const string WelshOptions = """[{ "id": "a", "text": { "en": "A", "cy": "A (cy)" } }, { "id": "b", "text": { "en": "B", "cy": "B (cy)" } }]""";

    private static string Definition(string languages, string title, string questionText, string options) => $$"""
        { "id": "pulse", {{languages}} "title": {{title}}, "status": "open", "privacy": { "controller": "Test Research Ltd", "contact": "mailto:privacy@example.org" },
          "questions": [{ "id": "kind", "text": {{questionText}}, "type": "single", "options": {{options}} }] }
        """;

    private static IDictionary<string, string[]> Errors(string json)
    {
        var parsed = SurveyRules.Parse(Encoding.UTF8.GetBytes(json), "pulse");
        Assert.False(parsed.IsValid);
        return parsed.Errors.ToDictionary();
    }

    [Fact]
    public void PlainStrings_AreEnglish_AndTheSurveyDeclaresEnglishOnly()
    {
        var parsed = SurveyRules.Parse(Encoding.UTF8.GetBytes(Definition("", "\"Pulse\"", "\"Kind?\"", Options)), "pulse");
        Assert.True(parsed.IsValid);
        Assert.Equal(["en"], parsed.Value!.Languages);
        Assert.Null(parsed.Value.Translations);
        Assert.Same(parsed.Value, parsed.Value.In("cy"));
    }

    [Fact]
    public void WelshTexts_AreKeptBesideTheEnglish_AndInCyGivesThemEverywhere()
    {
        var json = Definition("\"languages\": [\"en\", \"cy\"],", """{ "en": "Pulse", "cy": "Curiad" }""", """{ "en": "Kind?", "cy": "Math?" }""", WelshOptions);
        var parsed = SurveyRules.Parse(Encoding.UTF8.GetBytes(json), "pulse");
        Assert.True(parsed.IsValid);
        var survey = parsed.Value!;
        Assert.Equal("Pulse", survey.Title);
        Assert.Equal("Kind?", survey.Questions[0].Text);
        var welsh = survey.In(UiText.Welsh);
        Assert.Equal("Curiad", welsh.Title);
        Assert.Equal("Math?", welsh.Questions[0].Text);
        Assert.Equal(["A (cy)", "B (cy)"], welsh.Questions[0].Options.Select(o => o.Text));
        Assert.Equal(survey.Questions[0].Options.Select(o => o.Id), welsh.Questions[0].Options.Select(o => o.Id));
    }

    [Fact]
    public void DeclaredWelsh_WithATextMissing_IsAFaultAtThatTextsPath()
    {
        var errors = Errors(Definition("\"languages\": [\"en\", \"cy\"],", """{ "en": "Pulse", "cy": "Curiad" }""", "\"Kind?\"",
            """[{ "id": "a", "text": { "en": "A", "cy": "A (cy)" } }, { "id": "b", "text": { "en": "B" } }]"""));
        Assert.Equal(["questions[0].options[1].text", "questions[0].text"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("'cy'", errors["questions[0].text"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void WelshText_InASurveyThatDoesNotDeclareWelsh_IsAFault()
    {
        var errors = Errors(Definition("", """{ "en": "Pulse", "cy": "Curiad" }""", "\"Kind?\"", Options));
        Assert.Equal(["title.cy"], errors.Keys);
    }

    [Theory]
    [InlineData("\"languages\": [\"cy\"],", "languages")]
    [InlineData("\"languages\": [\"en\", \"fr\"],", "languages[1]")]
    [InlineData("\"languages\": [\"en\", \"en\"],", "languages[1]")]
    public void Languages_MustIncludeEnglish_BeSupported_AndNotRepeat(string languages, string path) =>
        Assert.Contains(path, Errors(Definition(languages, "\"Pulse\"", "\"Kind?\"", Options)).Keys);

    [Fact]
    public void AnObjectText_WithoutEnglish_IsRequiredAtItsPath() =>
        Assert.Contains("title", Errors(Definition("\"languages\": [\"en\", \"cy\"],", """{ "cy": "Curiad" }""", """{ "en": "Kind?", "cy": "Math?" }""", WelshOptions)).Keys);

    [Fact]
    public void StoredDefinition_KeepsItsTranslations_ThroughJson()
    {
        var survey = WelshPages.Sample();
        var json = System.Text.Json.JsonSerializer.Serialize(survey, SurveyBackend.Web.JsonDefaults.Options);
        var back = System.Text.Json.JsonSerializer.Deserialize<SurveyDefinition>(json, SurveyBackend.Web.JsonDefaults.Options)!;
        Assert.Equal(survey.In("cy").Title, back.In("cy").Title);
        Assert.Equal(["en", "cy"], back.Languages);
    }

    [Fact]
    public void TheAdminsShape_ReadsBackAsTheSameDefinition_InEveryLanguage()
    {
        var survey = WelshPages.Sample();
        var json = DefinitionAuthoring.ToJson(survey);
        Assert.DoesNotContain("\"translations\"", json, StringComparison.Ordinal);
        var back = SurveyRules.Parse(Encoding.UTF8.GetBytes(json), survey.Id);
        Assert.True(back.IsValid, string.Join("; ", back.Errors.ToDictionary().Keys));
        Assert.Equal(Texts(survey.In("cy")), Texts(back.Value!.In("cy")));
        Assert.Equal(Texts(survey), Texts(back.Value));

        var englishOnly = SurveyRules.Parse(Encoding.UTF8.GetBytes(Definition("", "\"Pulse\"", "\"Kind?\"", Options)), "pulse").Value!;
        Assert.Contains("\"title\":\"Pulse\"", DefinitionAuthoring.ToJson(englishOnly), StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_GivesEveryTextInWelsh()
    {
        var survey = WelshPages.Sample();
        Assert.Equal(["en", "cy"], survey.Languages);
        var welsh = survey.In(UiText.Welsh);
        // Brand names of the channels stay as they are; every other text differs from its English.
        string[] brands = ["Twitter", "Facebook", "Instagram", "LinkedIn", "YouTube", "Snapchat", "Nextdoor", "WhatsApp", "Flickr"];
        var english = Texts(survey).ToList();
        var cy = Texts(welsh).ToList();
        Assert.Equal(english.Count, cy.Count);
        var untranslated = english.Zip(cy).Where(p => p.First == p.Second && !brands.Contains(p.First)).Select(p => p.First).ToList();
        Assert.Empty(untranslated);
    }

    private static IEnumerable<string> Texts(SurveyDefinition d) =>
        new[] { d.Title, d.Description ?? "" }
            .Concat(d.Questions.SelectMany(q => q.Options.Select(o => o.Text).Prepend(q.Text)))
            .Concat((d.ReportingGroups ?? new Dictionary<string, IReadOnlyList<ReportingGroup>>()).SelectMany(g => g.Value.Select(r => r.Text)));
}
