using System.Text;
using System.Text.Json.Nodes;
using SurveyBackend.Journey;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Unit.Journey;

/// <summary>What may change in a journey once a survey has responses (the catalog answers 409 with the reason).</summary>
public class JourneyLockTests
{
    private static readonly JsonObject Sample = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", "social-media-in-local-government.json")))!.AsObject();

    private static SurveyDefinition Parse(JsonObject doc)
    {
        doc.Remove("previousWave");
        foreach (var question in doc["questions"]!.AsArray()) question!.AsObject().Remove("comparableWith");
        var parsed = SurveyRules.Parse(Encoding.UTF8.GetBytes(doc.ToJsonString()), "social-media-in-local-government");
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(",", e.Value)}")));
        return parsed.Value!;
    }

    private static SurveyDefinition Edited(Action<JsonObject> edit)
    {
        var doc = Sample.DeepClone().AsObject();
        edit(doc);
        return Parse(doc);
    }

    private static JsonObject Question(JsonObject doc, string id) => doc["questions"]!.AsArray().Single(q => (string)q!["id"]! == id)!.AsObject();

    public static TheoryData<string, string> LockedEdits() => new()
    {
        { "points", "the points of question 'maturity'" },
        { "minScore", "the stages' ids and minScore" },
        { "stageId", "the stages' ids and minScore" },
        { "maxSelections", "the points of question 'successMeasures'" },
        { "exclusive", "the points of question 'insightUse'" },
        { "unscore", "the points of question 'teamSize'" },
        { "remove", "the journey cannot be removed" },
    };

    [Theory]
    [MemberData(nameof(LockedEdits))]
    public void AScoringChange_IsLocked_WithTheReason(string edit, string reason)
    {
        var before = Parse(Sample.DeepClone().AsObject());
        var after = Edited(doc =>
        {
            var journey = doc["journey"]!.AsObject();
            switch (edit)
            {
                case "points": Question(doc, "maturity")["options"]![1]!["points"] = 4; break;
                case "minScore": journey["stages"]![1]!["minScore"] = 30; break;
                case "stageId": journey["stages"]![2]!["id"] = "resolving"; break;
                case "maxSelections": Question(doc, "successMeasures")["maxSelections"] = 2; break;
                case "exclusive": Question(doc, "insightUse")["options"]![4]!.AsObject().Remove("exclusive"); break;
                case "unscore": foreach (var o in Question(doc, "teamSize")["options"]!.AsArray()) o!.AsObject().Remove("points"); break;
                case "remove":
                    doc.Remove("journey");
                    foreach (var q in doc["questions"]!.AsArray()) foreach (var o in q!["options"]!.AsArray()) o!.AsObject().Remove("points");
                    break;
            }
        });

        var change = JourneyLock.LockedChange(before, after);

        Assert.NotNull(change);
        Assert.Contains(reason, change, StringComparison.Ordinal);
        Assert.False(JourneyLock.SameScoring(before, after));
    }

    [Fact]
    public void AddingAJourney_IsLocked()
    {
        var after = Parse(Sample.DeepClone().AsObject());
        var before = Edited(doc =>
        {
            doc.Remove("journey");
            foreach (var q in doc["questions"]!.AsArray()) foreach (var o in q!["options"]!.AsArray()) o!.AsObject().Remove("points");
        });
        Assert.Contains("a journey cannot be added", JourneyLock.LockedChange(before, after), StringComparison.Ordinal);
        Assert.Null(JourneyLock.LockedChange(before, before));
    }

    [Fact]
    public void TextsAndIndexes_MayChange()
    {
        var before = Parse(Sample.DeepClone().AsObject());
        var after = Edited(doc =>
        {
            var journey = doc["journey"]!.AsObject();
            journey["title"] = new JsonObject { ["en"] = "Where you are", ["cy"] = "Ble rydych chi" };
            journey["stages"]![3]!["next"] = new JsonObject { ["en"] = "Keep going.", ["cy"] = "Daliwch ati." };
            journey["indexes"]![0]!["questions"] = new JsonArray("maturity", "channels", "teamSize");
            Question(doc, "maturity")["text"] = new JsonObject { ["en"] = "Reworded?", ["cy"] = "Wedi’i aralleirio?" };
        });
        Assert.Null(JourneyLock.LockedChange(before, after));
        Assert.True(JourneyLock.SameScoring(before, after));
    }
}
