using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SurveyBackend.Journey;
using SurveyBackend.Surveys;
using SurveyBackend.Validation;
using SurveyBackend.Web;

namespace SurveyBackend.Tests.Unit.Journey;

public class JourneyRulesTests
{
    private static JsonObject Valid() => JsonNode.Parse("""
        {
          "id": "pulse", "title": { "en": "Pulse", "cy": "Curiad" }, "status": "open", "languages": ["en", "cy"],
          "privacy": { "controller": "Test Research Ltd", "contact": "mailto:privacy@example.org" },
          "questions": [
            { "id": "kind", "text": { "en": "Kind?", "cy": "Math?" }, "type": "single",
              "options": [ { "id": "a", "text": { "en": "A", "cy": "A" } }, { "id": "b", "text": { "en": "B", "cy": "B" } } ] },
            { "id": "level", "text": { "en": "Level?", "cy": "Lefel?" }, "type": "single",
              "options": [ { "id": "low", "text": { "en": "Low", "cy": "Isel" }, "points": 0 }, { "id": "high", "text": { "en": "High", "cy": "Uchel" }, "points": 2 } ] },
            { "id": "tools", "text": { "en": "Tools?", "cy": "Offer?" }, "type": "multiple", "maxSelections": 2,
              "options": [ { "id": "x", "text": { "en": "X", "cy": "X" }, "points": 1 }, { "id": "y", "text": { "en": "Y", "cy": "Y" }, "points": 1 },
                           { "id": "none", "text": { "en": "None", "cy": "Dim" }, "points": 0, "exclusive": true } ] }
          ],
          "journey": {
            "title": { "en": "Your journey", "cy": "Eich taith" },
            "stages": [
              { "id": "start", "minScore": 0, "name": { "en": "Start", "cy": "Dechrau" }, "about": { "en": "About start", "cy": "Am dechrau" }, "next": { "en": "Next", "cy": "Nesaf" } },
              { "id": "middle", "minScore": 40, "name": { "en": "Middle", "cy": "Canol" }, "about": { "en": "About middle", "cy": "Am canol" }, "next": { "en": "Next", "cy": "Nesaf" } },
              { "id": "end", "minScore": 80, "name": { "en": "End", "cy": "Diwedd" }, "about": { "en": "About end", "cy": "Am diwedd" }, "next": { "en": "Keep going", "cy": "Daliwch ati" } }
            ],
            "indexes": [ { "id": "practice", "name": { "en": "Practice", "cy": "Ymarfer" }, "questions": ["level"] },
                         { "id": "kit", "name": { "en": "Kit", "cy": "Cit" }, "questions": ["tools"] } ]
          }
        }
        """)!.AsObject();

    private static Validated<SurveyDefinition> Parse(JsonObject doc) => SurveyRules.Parse(Encoding.UTF8.GetBytes(doc.ToJsonString()), "pulse");

    private static IDictionary<string, string[]> ErrorsOf(JsonObject doc)
    {
        var result = Parse(doc);
        Assert.False(result.IsValid, "expected the definition to be rejected");
        return result.Errors.ToDictionary();
    }

    [Fact]
    public void Valid_KeepsTheModelAndThePoints()
    {
        var result = Parse(Valid());
        Assert.True(result.IsValid, string.Join("; ", result.Errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(",", e.Value)}")));
        var journey = result.Value!.Journey!;
        Assert.Equal("Your journey", journey.Title);
        Assert.Equal([("start", 0), ("middle", 40), ("end", 80)], journey.Stages.Select(s => (s.Id, s.MinScore)));
        Assert.Equal(["level"], journey.Indexes[0].Questions);
        Assert.Equal([0, 2], result.Value.Questions[1].Options.Select(o => o.Points));
        Assert.All(result.Value.Questions[0].Options, o => Assert.Null(o.Points));
    }

    [Fact]
    public void WithoutAJourney_TheDefinitionHasNone()
    {
        var doc = Valid();
        doc.Remove("journey");
        foreach (var question in doc["questions"]!.AsArray())
            foreach (var option in question!["options"]!.AsArray()) option!.AsObject().Remove("points");
        var result = Parse(doc);
        Assert.True(result.IsValid);
        Assert.Null(result.Value!.Journey);
        Assert.Null(JourneyScore.Of(result.Value, new Dictionary<string, IReadOnlyList<string>>()));
    }

    public static TheoryData<string, string> Faults() => new()
    {
        { "journey.stages[1].minScore", """{ "op": "set", "at": "journey.stages.1.minScore", "value": 0 }""" },
        { "journey.stages[2].minScore", """{ "op": "set", "at": "journey.stages.2.minScore", "value": 30 }""" },
        { "journey.stages[0].minScore", """{ "op": "set", "at": "journey.stages.0.minScore", "value": 5 }""" },
        { "journey.stages[2].minScore", """{ "op": "set", "at": "journey.stages.2.minScore", "value": 101 }""" },
        { "journey.stages[1].minScore", """{ "op": "remove", "at": "journey.stages.1.minScore" }""" },
        { "journey.stages[1].minScore", """{ "op": "set", "at": "journey.stages.1.minScore", "value": 12.5 }""" },
        { "journey.stages[2].id", """{ "op": "set", "at": "journey.stages.2.id", "value": "start" }""" },
        { "journey.stages[1].id", """{ "op": "set", "at": "journey.stages.1.id", "value": "no spaces" }""" },
        { "journey.indexes[1].id", """{ "op": "set", "at": "journey.indexes.1.id", "value": "practice" }""" },
        { "journey.indexes[0].questions[0]", """{ "op": "set", "at": "journey.indexes.0.questions.0", "value": "nope" }""" },
        { "journey.indexes[0].questions[0]", """{ "op": "set", "at": "journey.indexes.0.questions.0", "value": "kind" }""" },
        { "journey.indexes[1].questions", """{ "op": "set", "at": "journey.indexes.1.questions", "value": [] }""" },
        { "journey.indexes[0].name", """{ "op": "remove", "at": "journey.indexes.0.name" }""" },
        { "journey.stages", """{ "op": "set", "at": "journey.stages", "value": [] }""" },
        { "journey.title", """{ "op": "remove", "at": "journey.title" }""" },
        { "journey.stages[1].about", """{ "op": "set", "at": "journey.stages.1.about", "value": { "en": "About middle" } }""" },
        { "journey.stages[2].next.fr", """{ "op": "set", "at": "journey.stages.2.next", "value": { "en": "Go", "cy": "Ewch", "fr": "Allez" } }""" },
        { "questions[1].options[1].points", """{ "op": "set", "at": "questions.1.options.1.points", "value": -1 }""" },
        { "questions[1].options[1].points", """{ "op": "set", "at": "questions.1.options.1.points", "value": 1001 }""" },
        { "questions[1].options[1].points", """{ "op": "set", "at": "questions.1.options.1.points", "value": 2.5 }""" },
        { "questions[1].options[1].points", """{ "op": "set", "at": "questions.1.options.1.points", "value": "2" }""" },
        { "questions[2].options[2].points", """{ "op": "remove", "at": "questions.2.options.2.points" }""" },
        { "questions[0].options[1].points", """{ "op": "set", "at": "questions.0.options.0.points", "value": 1 }""" },
        { "questions[1].options", """{ "op": "set", "at": "questions.1.options.1.points", "value": 0 }""" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void Fault_IsReportedAtItsPath(string path, string edit)
    {
        var doc = Valid();
        Apply(doc, JsonNode.Parse(edit)!.AsObject());
        Assert.Contains(path, ErrorsOf(doc).Keys);
    }

    [Fact]
    public void PointsWithoutAJourney_AreKept_UnderTheSameRules_AndScoreNothing()
    {
        var doc = Valid();
        doc.Remove("journey");
        var result = Parse(doc);
        Assert.True(result.IsValid);
        Assert.Equal([0, 2], result.Value!.Questions[1].Options.Select(o => o.Points));
        Assert.Null(JourneyScore.Of(result.Value, new Dictionary<string, IReadOnlyList<string>> { ["level"] = ["high"] }));

        doc["questions"]![2]!["options"]![1]!.AsObject().Remove("points");
        Assert.Equal(["questions[2].options[1].points"], ErrorsOf(doc).Keys);
    }

    [Fact]
    public void AJourneyWithNoScoredQuestion_IsAFaultAtJourney()
    {
        var doc = Valid();
        foreach (var question in doc["questions"]!.AsArray())
            foreach (var option in question!["options"]!.AsArray()) option!.AsObject().Remove("points");
        doc["journey"]!.AsObject().Remove("indexes");
        Assert.Equal(["journey"], ErrorsOf(doc).Keys);
    }

    [Fact]
    public void EveryFault_IsReportedInOneGo()
    {
        var doc = Valid();
        Apply(doc, JsonNode.Parse("""{ "op": "set", "at": "journey.stages.0.minScore", "value": 10 }""")!.AsObject());
        Apply(doc, JsonNode.Parse("""{ "op": "set", "at": "journey.indexes.1.questions.0", "value": "kind" }""")!.AsObject());
        Apply(doc, JsonNode.Parse("""{ "op": "set", "at": "questions.2.options.0.points", "value": -3 }""")!.AsObject());
        Assert.Equal(["journey.indexes[1].questions[0]", "journey.stages[0].minScore", "questions[2].options[0].points"],
            ErrorsOf(doc).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void InWelsh_EveryJourneyTextIsWelsh_AndTheScoringIsTheSame()
    {
        var survey = Parse(Valid()).Value!;
        var welsh = survey.In("cy").Journey!;
        Assert.Equal("Eich taith", welsh.Title);
        Assert.Equal(["Dechrau", "Canol", "Diwedd"], welsh.Stages.Select(s => s.Name));
        Assert.Equal("Am canol", welsh.Stages[1].About);
        Assert.Equal("Daliwch ati", welsh.Stages[2].Next);
        Assert.Equal(["Ymarfer", "Cit"], welsh.Indexes.Select(i => i.Name));
        Assert.Equal(survey.Journey!.Stages.Select(s => (s.Id, s.MinScore)), welsh.Stages.Select(s => (s.Id, s.MinScore)));
    }

    [Fact]
    public void ThePublicDefinition_CarriesTheModelAndThePoints_InItsLanguage()
    {
        var survey = Parse(Valid()).Value!;
        var json = JsonNode.Parse(JsonSerializer.Serialize(PublicSurvey.From(survey, "cy"), JsonDefaults.Options))!;
        Assert.Equal("Eich taith", (string?)json["journey"]!["title"]);
        Assert.Equal(40, (int)json["journey"]!["stages"]![1]!["minScore"]!);
        Assert.Equal("Am canol", (string?)json["journey"]!["stages"]![1]!["about"]);
        Assert.Equal("tools", (string?)json["journey"]!["indexes"]![1]!["questions"]![0]);
        Assert.Equal(2, (int)json["questions"]![1]!["options"]![1]!["points"]!);
        Assert.Null(json["questions"]![0]!["options"]![0]!["points"]);
    }

    [Fact]
    public void TheAuthoredDefinition_GivesTheJourneyTextsPerLanguage_AndReadsBackTheSame()
    {
        var survey = Parse(Valid()).Value!;
        var authored = JsonNode.Parse(DefinitionAuthoring.ToJson(survey))!.AsObject();
        Assert.Equal("Am canol", (string?)authored["journey"]!["stages"]![1]!["about"]!["cy"]);
        Assert.Equal("Cit", (string?)authored["journey"]!["indexes"]![1]!["name"]!["cy"]);

        var again = Parse(authored);
        Assert.True(again.IsValid);
        Assert.Equal(JsonSerializer.Serialize(survey, JsonDefaults.Options), JsonSerializer.Serialize(again.Value!, JsonDefaults.Options));
    }

    [Fact]
    public void TheSampleSurvey_HasFourStagesAndTwoIndexes_InEnglishAndWelsh()
    {
        var json = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples", "social-media-in-local-government.json"));
        var survey = SurveyRules.Parse(json, "social-media-in-local-government").Value!;
        var journey = survey.Journey!;
        Assert.Equal(["broadcasting", "engaging", "serving", "embedded"], journey.Stages.Select(s => s.Id));
        Assert.Equal(["channels", "maturity", "customerService", "insightUse", "teamSize", "successMeasures"],
            survey.Questions.Where(JourneyScore.IsScored).Select(q => q.Id));
        Assert.Equal(["engagement", "service"], journey.Indexes.Select(i => i.Id));
        Assert.Equal(42, survey.Questions.Where(JourneyScore.IsScored).Sum(JourneyScore.MaxPoints));
        var welsh = survey.In("cy").Journey!;
        Assert.All(welsh.Stages.Zip(journey.Stages), p => Assert.NotEqual(p.Second.About, p.First.About));
    }

    /// <summary>Sets or removes the value at a dotted path ("journey.stages.1.minScore"; numbers index arrays).</summary>
    private static void Apply(JsonObject doc, JsonObject edit)
    {
        var steps = ((string)edit["at"]!).Split('.');
        JsonNode parent = doc;
        foreach (var step in steps[..^1]) parent = int.TryParse(step, out var i) ? parent[i]! : parent[step]!;
        var last = steps[^1];
        if ((string)edit["op"]! == "remove") parent.AsObject().Remove(last);
        else if (int.TryParse(last, out var index)) parent[index] = edit["value"]!.DeepClone();
        else parent[last] = edit["value"]!.DeepClone();
    }
}
