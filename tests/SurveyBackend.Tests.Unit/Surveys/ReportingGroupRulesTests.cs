using System.Text.Json.Nodes;
using SurveyBackend.Surveys;
using SurveyBackend.Validation;

namespace SurveyBackend.Tests.Unit.Surveys;

/// <summary>The definition rules for <c>reportingGroups</c> and <c>ordered</c>, each fault at its own path.</summary>
public sealed class ReportingGroupRulesTests
{
    private static JsonObject Valid() => JsonNode.Parse("""
        {
          "id": "pulse-2026", "title": "Pulse", "status": "open", "segments": ["kind"],
          "privacy": { "controller": "Test Research Ltd", "contact": "mailto:privacy@example.org" },
          "reportingGroups": { "kind": [ { "id": "ab", "text": "A or B", "options": ["a", "b"] } ] },
          "questions": [
            { "id": "kind", "text": "Kind?", "type": "single", "required": true,
              "options": [ { "id": "a", "text": "A" }, { "id": "b", "text": "B" }, { "id": "c", "text": "C" }, { "id": "d", "text": "D" } ] },
            { "id": "stage", "text": "Stage?", "type": "single", "ordered": true,
              "options": [ { "id": "early", "text": "Early" }, { "id": "late", "text": "Late" } ] },
            { "id": "tools", "text": "Tools?", "type": "multiple",
              "options": [ { "id": "x", "text": "X" }, { "id": "y", "text": "Y" } ] }
          ]
        }
        """)!.AsObject();

    private static Validated<SurveyDefinition> Parse(JsonObject doc) =>
        SurveyRules.Parse(System.Text.Encoding.UTF8.GetBytes(doc.ToJsonString()), "pulse-2026");

    private static IDictionary<string, string[]> ErrorsOf(JsonObject doc)
    {
        var result = Parse(doc);
        Assert.False(result.IsValid, "expected the definition to be rejected");
        return result.Errors.ToDictionary();
    }

    private static JsonArray Groups(JsonObject doc) => doc["reportingGroups"]!["kind"]!.AsArray();

    [Fact]
    public void Parse_GroupsAndOrder_AreKept()
    {
        var result = Parse(Valid());
        Assert.True(result.IsValid);
        var group = Assert.Single(result.Value!.ReportingGroups!["kind"]);
        Assert.Equal(new ReportingGroup("ab", "A or B", ["a", "b"]), group with { Options = [.. group.Options] }, new GroupComparer());
        Assert.True(result.Value.Questions[1].Ordered);
        Assert.False(result.Value.Questions[0].Ordered);
    }

    [Fact]
    public void Parse_OptionInTwoGroups_Returns400AtTheSecondMention()
    {
        var doc = Valid();
        Groups(doc).Add(JsonNode.Parse("""{ "id": "bc", "text": "B or C", "options": ["c", "b"] }"""));
        var errors = ErrorsOf(doc);
        Assert.Contains("ab", Assert.Single(errors["reportingGroups.kind[1].options[1]"]));
    }

    [Fact]
    public void Parse_GroupOfOneOption_Returns400AtItsOptions()
    {
        var doc = Valid();
        Groups(doc)[0]!["options"] = new JsonArray("a");
        Assert.Contains("reportingGroups.kind[0].options", ErrorsOf(doc).Keys);
    }

    [Fact]
    public void Parse_RepeatedGroupId_AndAGroupIdThatIsAnOptionId_Return400AtTheirIds()
    {
        var doc = Valid();
        Groups(doc).Add(JsonNode.Parse("""{ "id": "ab", "text": "Again", "options": ["c", "d"] }"""));
        Groups(doc).Add(JsonNode.Parse("""{ "id": "c", "text": "C and D", "options": ["c", "d"] }"""));
        var errors = ErrorsOf(doc);
        Assert.Contains("reportingGroups.kind[1].id", errors.Keys);
        Assert.Contains("reportingGroups.kind[2].id", errors.Keys);
    }

    [Fact]
    public void Parse_UnknownOption_AndANonSegmentQuestion_Return400AtTheirPaths()
    {
        var doc = Valid();
        Groups(doc)[0]!["options"] = new JsonArray("a", "zz");
        doc["reportingGroups"]!["stage"] = JsonNode.Parse("""[ { "id": "all", "text": "All", "options": ["early", "late"] } ]""");
        var errors = ErrorsOf(doc);
        Assert.Contains("reportingGroups.kind[0].options[1]", errors.Keys);
        Assert.Contains("reportingGroups.stage", errors.Keys);
    }

    [Fact]
    public void Parse_OrderedMultipleChoice_Returns400AtOrdered()
    {
        var doc = Valid();
        doc["questions"]![2]!["ordered"] = true;
        Assert.Contains("questions[2].ordered", ErrorsOf(doc).Keys);
    }

    [Fact]
    public void Structure_GroupsChanged_IsADifferentStructure()
    {
        var before = Parse(Valid()).Value!;
        var doc = Valid();
        Groups(doc)[0]!["options"] = new JsonArray("a", "b", "c");
        Assert.False(SurveyStructure.SameStructure(before, Parse(doc).Value!));
        var reworded = Valid();
        Groups(reworded)[0]!["text"] = "Either A or B";
        Assert.True(SurveyStructure.SameStructure(before, Parse(reworded).Value!));
    }

    private sealed class GroupComparer : IEqualityComparer<ReportingGroup>
    {
        public bool Equals(ReportingGroup? x, ReportingGroup? y) =>
            x is not null && y is not null && x.Id == y.Id && x.Text == y.Text && x.Options.SequenceEqual(y.Options);
        public int GetHashCode(ReportingGroup obj) => obj.Id.GetHashCode();
    }
}
