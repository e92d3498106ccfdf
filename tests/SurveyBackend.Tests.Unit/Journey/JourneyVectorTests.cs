using System.Text;
using System.Text.Json.Nodes;
using SurveyBackend.Form;
using SurveyBackend.Journey;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Unit.Journey;

/// <summary>
/// The shared vectors (tests/journey-vectors.json) through the C# scorer; the browser test runs the same file through
/// journey.js, so the stage a respondent is shown and the stage that is counted cannot disagree.
/// </summary>
public class JourneyVectorTests
{
    private static readonly JsonObject Vectors = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "journey-vectors.json")))!.AsObject();

    public static TheoryData<string> Cases() => [.. Vectors["cases"]!.AsArray().Select(c => (string)c!["name"]!)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Vector_ScoresAsTheFileSays(string name)
    {
        var vector = Vectors["cases"]!.AsArray().Single(c => (string)c!["name"]! == name)!;
        var definition = Survey((string)vector["survey"]!);

        var result = JourneyScore.Of(definition, Answers(vector["answers"]!.AsObject()))!;

        Assert.Equal((int)vector["score"]!, result.Score);
        Assert.Equal((string)vector["stage"]!, result.Stage.Id);
        var expected = vector["indexes"]!.AsObject().ToDictionary(p => p.Key, p => (int)p.Value!);
        Assert.Equal(expected, result.Indexes.ToDictionary(i => i.Index.Id, i => i.Score));
    }

    [Fact]
    public void Vectors_CoverEverySurveyInTheFile() =>
        Assert.Equal(Vectors["surveys"]!.AsObject().Select(s => s.Key).Order(),
            Vectors["cases"]!.AsArray().Select(c => (string)c!["survey"]!).Distinct().Order());

    [Fact]
    public void FormJs_CarriesJourneyJs_AsTheBrowserTestRunsIt()
    {
        Assert.Contains("var Journey = (function () {", FormAssets.JourneyJs);
        Assert.Contains(FormAssets.JourneyJs, FormAssets.FormJs.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("__JOURNEY_JS__", FormAssets.FormJs.Content, StringComparison.Ordinal);
    }

    /// <summary>A vector survey as a whole definition, through the rules: a vector the rules would refuse fails here.</summary>
    internal static SurveyDefinition Survey(string name)
    {
        var survey = Vectors["surveys"]![name]!.DeepClone().AsObject();
        survey["id"] = "vectors";
        survey["title"] = "Vectors";
        survey["status"] = "open";
        survey["privacy"] = new JsonObject { ["controller"] = "Test Research Ltd", ["contact"] = "mailto:privacy@example.org" };
        var parsed = SurveyRules.Parse(Encoding.UTF8.GetBytes(survey.ToJsonString()), "vectors");
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(",", e.Value)}")));
        return parsed.Value!;
    }

    /// <summary>As the form posts them (an option id, or an array of them) → the lists every stored answer is.</summary>
    internal static Dictionary<string, IReadOnlyList<string>> Answers(JsonObject answers) =>
        answers.ToDictionary(
            a => a.Key,
            a => a.Value is JsonArray many ? (IReadOnlyList<string>)[.. many.Select(o => (string)o!)] : [(string)a.Value!],
            StringComparer.Ordinal);
}
