using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SurveyBackend.Surveys;
using SurveyBackend.Validation;
using SurveyBackend.Web;

namespace SurveyBackend.Tests.Unit.Surveys;

/// <summary>A definition's <c>privacy</c> (issue #26 §1): required, a controller's name and a mailto: or https: contact.</summary>
public sealed class PrivacyRulesTests
{
    private static JsonObject Valid() => JsonNode.Parse("""
        { "id": "pulse-2026", "title": "Pulse", "status": "open",
          "privacy": { "controller": "Example Research Ltd", "contact": "mailto:privacy@example.org" },
          "questions": [ { "id": "kind", "text": "Kind?", "type": "single", "options": [ { "id": "a", "text": "A" }, { "id": "b", "text": "B" } ] } ] }
        """)!.AsObject();

    private static Validated<SurveyDefinition> Parse(JsonObject doc) => SurveyRules.Parse(Encoding.UTF8.GetBytes(doc.ToJsonString()), "pulse-2026");

    private static IDictionary<string, string[]> ErrorsOf(JsonObject doc)
    {
        var result = Parse(doc);
        Assert.False(result.IsValid, "expected the definition to be rejected");
        return result.Errors.ToDictionary();
    }

    [Theory]
    [InlineData("mailto:privacy@example.org")]
    [InlineData("mailto:data.protection+survey@council.gov.uk")]
    [InlineData("https://example.org/privacy")]
    [InlineData("https://example.org/privacy?survey=pulse#contact")]
    public void AControllerAndAContact_AreKept(string contact)
    {
        var doc = Valid();
        doc["privacy"]!["contact"] = contact;
        doc["privacy"]!["controller"] = "  Example Research Ltd ";
        var result = Parse(doc);
        Assert.True(result.IsValid, string.Join("; ", result.Errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(",", e.Value)}")));
        Assert.Equal(new SurveyPrivacy("Example Research Ltd", contact), result.Value!.Privacy);
    }

    [Fact]
    public void WithoutPrivacy_IsA400AtPrivacy()
    {
        var doc = Valid();
        doc.Remove("privacy");
        Assert.Equal(["privacy"], ErrorsOf(doc).Keys);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Example\nResearch")]
    public void AMissingOrBadController_IsA400AtPrivacyController(string? controller)
    {
        var doc = Valid();
        if (controller is null) doc["privacy"]!.AsObject().Remove("controller");
        else doc["privacy"]!["controller"] = controller;
        Assert.Equal(["privacy.controller"], ErrorsOf(doc).Keys);
    }

    [Fact]
    public void AControllerOver200Characters_IsA400AtPrivacyController()
    {
        var doc = Valid();
        doc["privacy"]!["controller"] = new string('x', 201);
        Assert.Equal(["privacy.controller"], ErrorsOf(doc).Keys);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("privacy@example.org")]
    [InlineData("mailto:")]
    [InlineData("mailto:privacy")]
    [InlineData("mailto:privacy@example.org?cc=someone@example.org")]
    [InlineData("mailto:a@example.org,b@example.org")]
    [InlineData("MAILTO:privacy@example.org")]
    [InlineData("http://example.org/privacy")]
    [InlineData("https://")]
    [InlineData("https://user:pass@example.org/")]
    [InlineData("https://example.org/a page")]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://example.org/")]
    public void AMissingOrBadContact_IsA400AtPrivacyContact(string? contact)
    {
        var doc = Valid();
        if (contact is null) doc["privacy"]!.AsObject().Remove("contact");
        else doc["privacy"]!["contact"] = contact;
        Assert.Equal(["privacy.contact"], ErrorsOf(doc).Keys);
    }

    [Fact]
    public void PrivacyOfTheWrongShape_IsA400AtItsPath()
    {
        var doc = Valid();
        doc["privacy"] = "Example Research Ltd";
        Assert.Equal(["privacy"], ErrorsOf(doc).Keys);

        doc = Valid();
        doc["privacy"]!["phone"] = "0300 000 0000";
        Assert.Equal(["privacy.phone"], ErrorsOf(doc).Keys);

        doc = Valid();
        doc["privacy"]!["controller"] = new JsonObject { ["en"] = "Example", ["cy"] = "Enghraifft" };
        Assert.Equal(["privacy.controller"], ErrorsOf(doc).Keys);
    }

    [Fact]
    public void ThePublicDefinitionAndTheAdminsOne_CarryPrivacy()
    {
        var definition = Parse(Valid()).Value!;
        const string expected = "\"privacy\":{\"controller\":\"Example Research Ltd\",\"contact\":\"mailto:privacy@example.org\"}";
        Assert.Contains(expected, JsonSerializer.Serialize(PublicSurvey.From(definition), JsonDefaults.Options));
        Assert.Contains(expected, DefinitionAuthoring.ToJson(definition));
        // What is stored reads back the same.
        var stored = JsonSerializer.Deserialize<SurveyDefinition>(JsonSerializer.Serialize(definition, JsonDefaults.Options), JsonDefaults.Options)!;
        Assert.Equal(definition.Privacy, stored.Privacy);
    }

    [Fact]
    public void ADefinitionStoredBeforePrivacy_StillReads_AndItsPublicFormHasNone()
    {
        var definition = Parse(Valid()).Value! with { Privacy = null };
        var stored = JsonSerializer.Serialize(definition, JsonDefaults.Options);
        Assert.DoesNotContain("privacy", stored);
        var read = JsonSerializer.Deserialize<SurveyDefinition>(stored, JsonDefaults.Options)!;
        Assert.Null(read.Privacy);
        Assert.DoesNotContain("privacy", JsonSerializer.Serialize(PublicSurvey.From(read), JsonDefaults.Options));
    }
}
