using System.Text.Json.Nodes;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Unit.Surveys;

public class SurveyRulesTests
{
    private static JsonObject Valid() => JsonNode.Parse("""
        {
          "id": "pulse-2026", "title": "Pulse", "status": "open",
          "privacy": { "controller": "Test Research Ltd", "contact": "mailto:privacy@example.org" },
          "opensAt": "2026-01-01T00:00:00Z", "closesAt": "2026-12-31T00:00:00Z",
          "segments": ["kind"], "minGroupSize": 5,
          "questions": [
            { "id": "kind", "text": "Kind?", "type": "single", "required": true,
              "options": [ { "id": "a", "text": "A" }, { "id": "b", "text": "B" } ] },
            { "id": "tools", "text": "Tools?", "type": "multiple", "maxSelections": 2, "allowOther": true,
              "options": [ { "id": "x", "text": "X" }, { "id": "y", "text": "Y" }, { "id": "none", "text": "None", "exclusive": true } ] }
          ]
        }
        """)!.AsObject();

    private static IDictionary<string, string[]> ErrorsOf(JsonObject doc, string surveyId = "pulse-2026")
    {
        var result = SurveyRules.Parse(System.Text.Encoding.UTF8.GetBytes(doc.ToJsonString()), surveyId);
        Assert.False(result.IsValid, "expected the definition to be rejected");
        return result.Errors.ToDictionary();
    }

    [Fact]
    public void Parse_TheRealSurvey_IsValid()
    {
        var json = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples", "social-media-in-local-government.json"));
        var result = SurveyRules.Parse(json, "social-media-in-local-government");
        Assert.True(result.IsValid, string.Join("; ", result.Errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(",", e.Value)}")));
        Assert.Equal(11, result.Value!.Questions.Count);
        Assert.Equal(["organisationType", "region"], result.Value.Segments);
    }

    [Fact]
    public void Parse_Valid_AppliesDefaults()
    {
        var doc = Valid();
        doc.Remove("minGroupSize");
        doc.Remove("segments");
        var result = SurveyRules.Parse(System.Text.Encoding.UTF8.GetBytes(doc.ToJsonString()), "pulse-2026");
        Assert.True(result.IsValid);
        Assert.Equal(5, result.Value!.MinGroupSize);
        Assert.Empty(result.Value.Segments);
        Assert.Equal(["x", "y", "none", "other"], result.Value.Questions[1].ChoosableOptionIds);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("Upper-Case")]
    [InlineData("has space")]
    public void Parse_WithBadId_ReportsId(string id)
    {
        var doc = Valid();
        doc["id"] = id;
        Assert.Contains("id", ErrorsOf(doc, id).Keys);
    }

    [Fact]
    public void Parse_WithIdNotMatchingAddress_ReportsId() =>
        Assert.Contains("id", ErrorsOf(Valid(), "another-survey").Keys);

    [Fact]
    public void Parse_WithRepeatedQuestionId_ReportsTheSecond()
    {
        var doc = Valid();
        doc["questions"]![1]!["id"] = "kind";
        Assert.Contains("questions[1].id", ErrorsOf(doc).Keys);
    }

    [Fact]
    public void Parse_WithRepeatedOptionId_ReportsIt()
    {
        var doc = Valid();
        doc["questions"]![0]!["options"]![1]!["id"] = "a";
        Assert.Contains("questions[0].options[1].id", ErrorsOf(doc).Keys);
    }

    [Fact]
    public void Parse_WithOneOption_ReportsOptions()
    {
        var doc = Valid();
        doc["questions"]![0]!["options"]!.AsArray().RemoveAt(1);
        Assert.Contains("questions[0].options", ErrorsOf(doc).Keys);
    }

    [Fact]
    public void Parse_WithSegmentOnMultipleChoice_ReportsSegment()
    {
        var doc = Valid();
        doc["segments"] = new JsonArray("tools");
        Assert.Contains("segments[0]", ErrorsOf(doc).Keys);
    }

    [Fact]
    public void Parse_WithSegmentOnUnknownQuestion_ReportsSegment()
    {
        var doc = Valid();
        doc["segments"] = new JsonArray("kind", "nope");
        Assert.Contains("segments[1]", ErrorsOf(doc).Keys);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(101)]
    public void Parse_WithMinGroupSizeOutOfRange_ReportsIt(int size)
    {
        var doc = Valid();
        doc["minGroupSize"] = size;
        Assert.Equal(["minGroupSize"], ErrorsOf(doc).Keys);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(100)]
    public void Parse_WithMinGroupSizeFromThreeToAHundred_TakesIt(int size)
    {
        var doc = Valid();
        doc["minGroupSize"] = size;
        Assert.Equal(size, SurveyRules.Parse(System.Text.Encoding.UTF8.GetBytes(doc.ToJsonString()), "pulse-2026").Value!.MinGroupSize);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)] // three options plus Other make four
    public void Parse_WithMaxSelectionsOutOfRange_ReportsIt(int max)
    {
        var doc = Valid();
        doc["questions"]![1]!["maxSelections"] = max;
        Assert.Contains("questions[1].maxSelections", ErrorsOf(doc).Keys);
    }

    [Fact]
    public void Parse_WithMaxSelectionsOnSingle_ReportsIt()
    {
        var doc = Valid();
        doc["questions"]![0]!["maxSelections"] = 1;
        Assert.Contains("questions[0].maxSelections", ErrorsOf(doc).Keys);
    }

    [Fact]
    public void Parse_WithExclusiveOnSingle_ReportsIt()
    {
        var doc = Valid();
        doc["questions"]![0]!["options"]![0]!["exclusive"] = true;
        Assert.Contains("questions[0].options[0].exclusive", ErrorsOf(doc).Keys);
    }

    [Fact]
    public void Parse_WithOptionNamedOtherOnAllowOther_ReportsIt()
    {
        var doc = Valid();
        doc["questions"]![1]!["options"]![0]!["id"] = "other";
        Assert.Contains("questions[1].options[0].id", ErrorsOf(doc).Keys);
    }

    [Fact]
    public void Parse_WithClosesBeforeOpens_ReportsClosesAt()
    {
        var doc = Valid();
        doc["closesAt"] = "2025-01-01T00:00:00Z";
        Assert.Contains("closesAt", ErrorsOf(doc).Keys);
    }

    [Fact]
    public void Parse_WithNoQuestions_ReportsQuestions()
    {
        var doc = Valid();
        doc["questions"] = new JsonArray();
        doc["segments"] = new JsonArray();
        Assert.Contains("questions", ErrorsOf(doc).Keys);
    }

    [Fact]
    public void Parse_WithMissingTextsAndType_ReportsEveryFaultAtOnce()
    {
        var doc = Valid();
        doc.Remove("title");
        doc.Remove("status");
        doc["questions"]![0]!.AsObject().Remove("text");
        doc["questions"]![1]!.AsObject().Remove("type");
        var errors = ErrorsOf(doc);
        Assert.Contains("title", errors.Keys);
        Assert.Contains("status", errors.Keys);
        Assert.Contains("questions[0].text", errors.Keys);
        Assert.Contains("questions[1].type", errors.Keys);
    }

    [Fact]
    public void Parse_WithUnknownStatus_ReportsStatus()
    {
        var doc = Valid();
        doc["status"] = "published";
        Assert.Contains("status", ErrorsOf(doc).Keys);
    }

    [Fact]
    public void Parse_WithUnknownProperty_ReportsItsPath()
    {
        var doc = Valid();
        doc["questions"]![0]!["colour"] = "red";
        Assert.Contains("questions[0].colour", ErrorsOf(doc).Keys);
    }

    [Fact]
    public void Parse_WithMalformedJson_ReportsTheBody()
    {
        var result = SurveyRules.Parse("{\"id\": "u8, "pulse-2026");
        Assert.False(result.IsValid);
        Assert.Contains("", result.Errors.ToDictionary().Keys);
    }

    [Fact]
    public void SameStructure_IgnoresWording_ButNotOptionIds()
    {
        SurveyDefinition Parse(JsonObject d) => SurveyRules.Parse(System.Text.Encoding.UTF8.GetBytes(d.ToJsonString()), "pulse-2026").Value!;
        var original = Parse(Valid());
        var reworded = Valid();
        reworded["questions"]![0]!["text"] = "What kind?";
        var renamed = Valid();
        renamed["questions"]![0]!["options"]![1]!["id"] = "c";

        Assert.True(SurveyStructure.SameStructure(original, Parse(reworded)));
        Assert.False(SurveyStructure.SameStructure(original, Parse(renamed)));
    }
}
