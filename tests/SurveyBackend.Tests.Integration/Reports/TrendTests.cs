using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using SurveyBackend.Aggregation;
using SurveyBackend.Reports;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Integration.Reports;

/// <summary>
/// Two waves over the local host and Azurite: the 2016 sample wave and the current sample naming it, each with counts
/// seeded through the real store, a release and a report. The current report, its slides and its benchmark show
/// then, now and the change from the two public releases; each definition error is a 400 at its path.
/// </summary>
[Collection(ReportsCollection.Name)]
public sealed class TrendTests(ReportsStack stack)
{
    private static string E(string text) => HtmlEncoder.Default.Encode(text);

    /// <summary>Puts the 2016 sample under a new id, closed, with counts, a release and a public report.</summary>
    private async Task<string> PutPreviousWaveAsync(bool publish = true, string status = "closed")
    {
        var json = JsonNode.Parse(await File.ReadAllTextAsync(RepoPaths.PreviousWaveSample))!.AsObject();
        var id = $"wave16-{Guid.NewGuid():N}"[..30];
        json["id"] = id;
        json["status"] = status;
        using var put = await stack.Host.PutSurveyAsync(id, json.ToJsonString());
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        if (!publish) return id;
        var definition = (await stack.Get<SurveyCatalog>().FindAsync(id, CancellationToken.None))!.Definition;
        await SampleCounts.SeedAsync(stack.Get<AggregateStore>(), definition, 100, seed: 16);
        await stack.PublishAsync(id, title: "2016");
        return id;
    }

    /// <summary>The current sample as shipped (with comparableWith), under a new id, naming <paramref name="previousWave"/>.</summary>
    private static JsonObject CurrentWave(string id, string? previousWave)
    {
        var json = JsonNode.Parse(File.ReadAllText(RepoPaths.SampleSurveyAsShipped))!.AsObject();
        json["id"] = id;
        json["status"] = "closed";
        json["previousWave"] = previousWave;
        return json;
    }

    private async Task<SurveyDefinition> PutCurrentWaveAsync(string previousWave, int respondents = 150)
    {
        var id = $"wave17-{Guid.NewGuid():N}"[..30];
        using var put = await stack.Host.PutSurveyAsync(id, CurrentWave(id, previousWave).ToJsonString());
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var definition = (await stack.Get<SurveyCatalog>().FindAsync(id, CancellationToken.None))!.Definition;
        await SampleCounts.SeedAsync(stack.Get<AggregateStore>(), definition, respondents, seed: 17);
        return definition;
    }

    private async Task<JsonObject> BenchmarkAsync(string surveyId)
    {
        using var response = await stack.Host.Client.GetAsync($"api/surveys/{surveyId}/benchmark");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!.AsObject();
    }

    private static JsonNode Option(JsonObject results, string questionId, string optionId) =>
        results["questions"]!.AsArray().Single(q => (string)q!["id"]! == questionId)!["options"]!.AsArray().Single(o => (string)o!["id"]! == optionId)!;

    [Fact]
    public async Task Report_OfTwoWaves_ShowsThenNowAndTheChange_FromBothPublicReleases_InThePageSlidesAndBenchmark()
    {
        var previousId = await PutPreviousWaveAsync();
        var current = await PutCurrentWaveAsync(previousId);
        var reportId = await stack.PublishAsync(current.Id, title: "2017");

        var then = await BenchmarkAsync(previousId);
        var now = await BenchmarkAsync(current.Id);
        var wave = now["previousWave"]!;
        Assert.Equal(previousId, (string)wave["surveyId"]!);
        Assert.Equal((int)then["release"]!, (int)wave["release"]!);
        var questions = wave["questions"]!.AsArray().ToDictionary(q => (string)q!["id"]!, q => q!);
        Assert.Equal("markedComparable", (string)questions["maturity"]["comparability"]!);
        Assert.Equal("notComparable", (string)questions["successMeasures"]["comparability"]!);
        Assert.Equal("same", (string)questions["channels"]["comparability"]!);

        using var pageResponse = await stack.Host.Client.GetAsync($"api/reports/{reportId}");
        var page = await pageResponse.Content.ReadAsStringAsync();
        using var slidesResponse = await stack.Host.Client.GetAsync($"api/reports/{reportId}/slides");
        var slides = await slidesResponse.Content.ReadAsStringAsync();
        Assert.Contains(E(TrendWords.English.SectionHeading), page);
        Assert.Contains(E(TrendWords.English.MarkedComparable), page);
        Assert.Contains(E(TrendWords.English.NotComparable(WaveComparison.NotAskedBefore)), page);
        Assert.Contains(E(TrendWords.English.SectionHeading), slides);

        // Every shown change in the benchmark is the two public releases' shares, as shown, subtracted; and the page
        // and the slides carry it.
        var checkedChanges = 0;
        foreach (var (questionId, question) in questions.Where(q => (string)q.Value["comparability"]! != "notComparable"))
        {
            foreach (var option in question["options"]!.AsArray())
            {
                var optionId = (string)option!["id"]!;
                var shareThen = (double?)Option(then, questionId, optionId)["share"];
                var shareNow = (double?)Option(now, questionId, optionId)["share"];
                Assert.Equal(shareThen, (double?)option["previousShare"]);
                Assert.Equal(shareNow, (double?)option["share"]);
                Assert.Equal(WaveChanges.ChangeInPoints(shareNow, shareThen), (decimal?)option["change"]);
                if ((decimal?)option["change"] is not { } change)
                {
                    Assert.True((bool)option["suppressed"]!);
                    continue;
                }
                Assert.Contains($">{E(TrendWords.Points(change))}</td>", page);
                checkedChanges++;
            }
        }
        Assert.True(checkedChanges > 20, $"only {checkedChanges} changes were shown");
        Assert.Contains("<rect class=\"was\"", slides);
        Assert.Contains("<span class=\"was\"", page);
    }

    [Fact]
    public async Task Report_WhenThePreviousWaveHasNoPublicRelease_SaysSo()
    {
        var previousId = await PutPreviousWaveAsync(publish: false);
        var current = await PutCurrentWaveAsync(previousId);
        var reportId = await stack.PublishAsync(current.Id);

        using var response = await stack.Host.Client.GetAsync($"api/reports/{reportId}");
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains(E(TrendWords.English.NoPublicRelease), page);
        Assert.DoesNotContain("class=\"was\"", page);
        var wave = (await BenchmarkAsync(current.Id))["previousWave"]!;
        Assert.Null(wave["release"]);
        Assert.Empty(wave["questions"]!.AsArray());
    }

    [Fact]
    public async Task Put_EachPreviousWaveError_Is400AtItsPath_AndNothingIsSaved()
    {
        var previousId = await PutPreviousWaveAsync(publish: false);
        var draftId = await PutPreviousWaveAsync(publish: false, status: "draft");
        var id = $"wave17-{Guid.NewGuid():N}"[..30];

        await AssertRejected(id, CurrentWave(id, "no-such-survey-here"), "previousWave", "There is no survey with this id.");
        await AssertRejected(id, CurrentWave(id, id), "previousWave", "A survey cannot be its own previous wave.");
        await AssertRejected(id, CurrentWave(id, draftId), "previousWave", "draft");
        var unmarkable = CurrentWave(id, previousId);
        unmarkable["questions"]!.AsArray().Single(q => (string)q!["id"]! == "successMeasures")!["comparableWith"] = "previous";
        await AssertRejected(id, unmarkable, "questions[9].comparableWith", WaveComparison.NotAskedBefore);
        using (var missing = await stack.Host.Client.GetAsync($"api/surveys/{id}")) Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        // The current wave names 2016; 2016 naming the current wave back would be a cycle.
        using (var put = await stack.Host.PutSurveyAsync(id, CurrentWave(id, previousId).ToJsonString())) Assert.True(put.IsSuccessStatusCode);
        var loop = JsonNode.Parse(await File.ReadAllTextAsync(RepoPaths.PreviousWaveSample))!.AsObject();
        loop["id"] = previousId;
        loop["previousWave"] = id;
        await AssertRejected(previousId, loop, "previousWave", "cycle");
    }

    private async Task AssertRejected(string id, JsonObject definition, string path, string message)
    {
        using var response = await stack.Host.PutSurveyAsync(id, definition.ToJsonString());
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonNode.Parse(body)!["errors"]!.AsObject();
        Assert.Contains(message, string.Join(" ", errors[path]!.AsArray().Select(m => (string)m!)));
    }
}
