using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using SurveyBackend.Storage;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Integration.Foundation;

/// <summary>The journey over HTTP: public with its points, faults at their paths, and its scoring locked once responses exist.</summary>
[Collection(StackCollection.Name)]
public sealed class JourneyDefinitionTests(StackFixture stack)
{
    private static string UniqueId() => "j-" + Guid.NewGuid().ToString("N")[..12];

    private static async Task<JsonObject> SampleAsync(string id) => JsonNode.Parse(await RepoPaths.SampleSurveyJsonAsync(id))!.AsObject();

    private static JsonObject Question(JsonObject doc, string id) => doc["questions"]!.AsArray().Single(q => (string)q!["id"]! == id)!.AsObject();

    [Fact]
    public async Task ThePublicDefinition_CarriesTheJourneyAndThePoints_InTheLanguageAskedFor()
    {
        var id = UniqueId();
        using var put = await stack.Host.PutSurveyAsync(id, (await SampleAsync(id)).ToJsonString());
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);

        var english = JsonNode.Parse(await stack.Host.Client.GetStringAsync($"api/surveys/{id}"))!;
        var welsh = JsonNode.Parse(await stack.Host.Client.GetStringAsync($"api/surveys/{id}?lang=cy"))!;

        Assert.Equal(["broadcasting", "engaging", "serving", "embedded"], english["journey"]!["stages"]!.AsArray().Select(s => (string)s!["id"]!));
        Assert.Equal([0, 25, 50, 80], welsh["journey"]!["stages"]!.AsArray().Select(s => (int)s!["minScore"]!));
        Assert.Equal("Broadcasting", (string?)english["journey"]!["stages"]![0]!["name"]);
        Assert.Equal("Darlledu", (string?)welsh["journey"]!["stages"]![0]!["name"]);
        Assert.Equal("Gwasanaeth a mewnwelediad", (string?)welsh["journey"]!["indexes"]![1]!["name"]);
        Assert.Equal([0, 3, 6, 9], Question(welsh.AsObject(), "maturity")["options"]!.AsArray().Select(o => (int)o!["points"]!));
        Assert.Null(Question(english.AsObject(), "region")["options"]![0]!["points"]);
    }

    [Fact]
    public async Task AFaultInTheJourney_Is400AtItsPath_AndNothingIsSaved()
    {
        var id = UniqueId();
        var doc = await SampleAsync(id);
        doc["journey"]!["stages"]![2]!["minScore"] = 20;
        Question(doc, "teamSize")["options"]![1]!["points"] = -1;
        doc["journey"]!["stages"]![3]!["next"] = new JsonObject { ["en"] = "Keep going." };

        using var response = await stack.Host.PutSurveyAsync(id, doc.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Equal(["journey.stages[2].minScore", "journey.stages[3].next", "questions[7].options[1].points"],
            errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await stack.Host.Client.GetAsync($"api/surveys/{id}")).StatusCode);
    }

    [Fact]
    public async Task OnceResponsesExist_TheScoringIs409WithTheReason_ButTheTextsMayChange()
    {
        var id = UniqueId();
        var doc = await SampleAsync(id);
        (await stack.Host.PutSurveyAsync(id, doc.ToJsonString())).Dispose();
        var submissions = new TableClient(stack.Azurite.ConnectionString, TableNames.Submissions);
        await submissions.AddEntityAsync(new TableEntity(id, Guid.NewGuid().ToString()));

        var repointed = doc.DeepClone().AsObject();
        Question(repointed, "customerService")["options"]![3]!["points"] = 10;
        using var points = await stack.Host.PutSurveyAsync(id, repointed.ToJsonString());
        Assert.Equal(HttpStatusCode.Conflict, points.StatusCode);
        Assert.Equal("application/problem+json", points.Content.Headers.ContentType!.MediaType);
        Assert.Contains("the points of question 'customerService'", (string?)JsonNode.Parse(await points.Content.ReadAsStringAsync())!["detail"], StringComparison.Ordinal);

        var restaged = doc.DeepClone().AsObject();
        restaged["journey"]!["stages"]![3]!["minScore"] = 85;
        using var stages = await stack.Host.PutSurveyAsync(id, restaged.ToJsonString());
        Assert.Equal(HttpStatusCode.Conflict, stages.StatusCode);
        Assert.Contains("minScore", (string?)JsonNode.Parse(await stages.Content.ReadAsStringAsync())!["detail"], StringComparison.Ordinal);

        var reworded = doc.DeepClone().AsObject();
        reworded["journey"]!["stages"]![3]!["next"] = new JsonObject { ["en"] = "Keep it there.", ["cy"] = "Cadwch hi yno." };
        using var texts = await stack.Host.PutSurveyAsync(id, reworded.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, texts.StatusCode);
        var welsh = JsonNode.Parse(await stack.Host.Client.GetStringAsync($"api/surveys/{id}?lang=cy"))!;
        Assert.Equal("Cadwch hi yno.", (string?)welsh["journey"]!["stages"]![3]!["next"]);
    }
}
