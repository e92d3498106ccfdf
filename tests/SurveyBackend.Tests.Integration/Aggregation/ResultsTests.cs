using System.Net;
using System.Text.Json.Nodes;
using SurveyBackend.Aggregation;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Integration.Aggregation;

[Collection(PipelineCollection.Name)]
public sealed class ResultsTests(PipelineFixture fixture)
{
    [Fact]
    public async Task Results_Json_HasTheApiShape_AndTheCountsOfTheAggregates()
    {
        var batch = await fixture.BatchAsync();
        using var response = await fixture.Host.Admin.GetAsync($"api/admin/surveys/{batch.Survey.Id}/results");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(batch.Survey.Id, (string?)body["surveyId"]);
        Assert.Equal(batch.Submissions.Count, (int)body["respondents"]!);
        Assert.Equal(5, (int)body["minGroupSize"]!);
        Assert.NotNull(body["generatedAt"]);

        // Results report the sample's reporting groups (its regions merged into four groups and London, say).
        var view = ReportingView.Of(batch.Survey);
        var counted = Expected.Counts(batch.Survey, batch.Submissions).ToDictionary(c => c.Key, c => (IReadOnlyDictionary<string, long>)c.Value);
        var expected = view.Map(counted)[Tally.All];
        var questions = body["questions"]!.AsArray();
        // The journey's stage is counted as the answer to a derived question, after the definition's own.
        Assert.Equal([.. batch.Survey.Questions.Select(q => q.Id), "journey.stage"], questions.Select(q => (string)q!["id"]!));
        var stages = questions.Single(q => (string)q!["id"]! == "journey.stage")!;
        Assert.Equal(batch.Survey.Journey!.Stages.Select(s => s.Id), stages["options"]!.AsArray().Select(o => (string)o!["id"]!));
        Assert.Equal(batch.Submissions.Count, (int)stages["answered"]!);
        foreach (var question in questions)
        {
            var id = (string)question!["id"]!;
            if (question["answered"] is null) continue;
            Assert.Equal(expected.GetValueOrDefault(Tally.Answered(id)), (long)question["answered"]!);
            foreach (var option in question["options"]!.AsArray())
            {
                if (option!["count"] is null)
                {
                    Assert.True((bool)option["suppressed"]!);
                    Assert.Null(option["share"]);
                    continue;
                }
                Assert.True((int)option["count"]! >= 5);
                Assert.Equal(expected.GetValueOrDefault(Tally.Chose(id, (string)option["id"]!)), (long)option["count"]!);
                Assert.Equal(Math.Round((double)option["count"]! / (double)question["answered"]!, 3), (double)option["share"]!);
            }
        }

        var segments = body["segments"]!.AsArray();
        Assert.Equal(ResultsService.Scopes(view.Definition).Count - 1, segments.Count);
        Assert.Contains(segments, s => s!["respondents"] is not null && s["questions"] is JsonArray);
        Assert.All(segments.Where(s => s!["questions"] is JsonArray), s => Assert.Contains(s!["questions"]!.AsArray(), q => (string)q!["id"]! == "journey.stage"));
        Assert.All(segments.Where(s => s!["respondents"] is null), s =>
        {
            Assert.True((bool)s!["suppressed"]!);
            Assert.Null(s["questions"]);
        });
    }

    [Fact]
    public async Task Results_Csv_IsCsvWithAHeader_AndABadFormatIs400()
    {
        var batch = await fixture.BatchAsync();
        using var csv = await fixture.Host.Admin.GetAsync($"api/admin/surveys/{batch.Survey.Id}/results?format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', ResultsCsv.Header), lines[0]);
        Assert.True(lines.Length > 50);

        using var bad = await fixture.Host.Admin.GetAsync($"api/admin/surveys/{batch.Survey.Id}/results?format=xml");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Results_UnknownSurvey404_AndWithoutKey401()
    {
        using var unknown = await fixture.Host.Admin.GetAsync("api/admin/surveys/no-such-survey/results");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var noKey = await fixture.Host.Client.GetAsync($"api/admin/surveys/{RepoPaths.SampleSurveyId}/results");
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        using var rebuildUnknown = await fixture.Host.Admin.PostAsync("api/admin/surveys/no-such-survey/aggregates/rebuild", null);
        Assert.Equal(HttpStatusCode.NotFound, rebuildUnknown.StatusCode);
    }

    [Fact]
    public async Task Rebuild_FromTheResponses_EqualsTheIncrementalCounts()
    {
        var batch = await fixture.BatchAsync();
        var incremental = await fixture.CountsAsync(batch.Survey);
        using var before = await fixture.Host.Admin.GetAsync($"api/admin/surveys/{batch.Survey.Id}/results");
        var resultsBefore = JsonNode.Parse(await before.Content.ReadAsStringAsync())!.AsObject();

        using var rebuild = await fixture.Host.Admin.PostAsync($"api/admin/surveys/{batch.Survey.Id}/aggregates/rebuild", null);
        Assert.Equal(HttpStatusCode.OK, rebuild.StatusCode);
        Assert.Equal(batch.Submissions.Count, (int)JsonNode.Parse(await rebuild.Content.ReadAsStringAsync())!["responses"]!);

        var rebuilt = await fixture.CountsAsync(batch.Survey);
        Expected.Equal(incremental.ToDictionary(s => s.Key, s => s.Value.ToDictionary()), rebuilt);
        Expected.Equal(Expected.Counts(batch.Survey, batch.Submissions), rebuilt);

        using var after = await fixture.Host.Admin.GetAsync($"api/admin/surveys/{batch.Survey.Id}/results");
        var resultsAfter = JsonNode.Parse(await after.Content.ReadAsStringAsync())!.AsObject();
        resultsBefore.Remove("generatedAt");
        resultsAfter.Remove("generatedAt");
        Assert.Equal(resultsBefore.ToJsonString(), resultsAfter.ToJsonString());
    }

    [Fact]
    public async Task Rebuild_AfterTheCountersWereLost_RestoresThem_AndARedeliveryStillCountsOnce()
    {
        var survey = await fixture.NewSampleSurveyAsync();
        var random = new Random(99);
        var submissions = Enumerable.Range(0, 12).Select(i => Submission.Random(survey, 50_000 + i, random)).ToList();
        foreach (var s in submissions)
        {
            await fixture.StoreAsync(s);
            await fixture.EnqueueAsync(s);
        }
        await Eventually.TrueAsync(async () => await fixture.TombstonesAsync(survey.Id) == submissions.Count, TimeSpan.FromSeconds(90), "the submissions to be processed");

        // Lose every counter row (as a bad manual edit would), keep the responses, then rebuild.
        var aggregates = new Azure.Data.Tables.TableClient(fixture.Azurite.ConnectionString, Storage.TableNames.Aggregates);
        await foreach (var row in aggregates.QueryAsync<Azure.Data.Tables.TableEntity>(select: ["PartitionKey", "RowKey"]))
        {
            if (row.PartitionKey.StartsWith(survey.Id + "|", StringComparison.Ordinal) && row.RowKey.StartsWith("c|", StringComparison.Ordinal))
                await aggregates.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }
        Assert.Equal(0, await fixture.RespondentsAsync(survey));

        using var rebuild = await fixture.Host.Admin.PostAsync($"api/admin/surveys/{survey.Id}/aggregates/rebuild", null);
        Assert.Equal(HttpStatusCode.OK, rebuild.StatusCode);
        Expected.Equal(Expected.Counts(survey, submissions), await fixture.CountsAsync(survey));

        // A response counted by the rebuild is not counted again by a late delivery.
        var counter = fixture.Get<ResponseCounter>();
        var keys = fixture.Get<SurveyBackend.Privacy.PrivacyKeys>();
        Assert.False(await counter.CountAsync(submissions[0].ToResponse(keys), survey, CancellationToken.None));
        Expected.Equal(Expected.Counts(survey, submissions), await fixture.CountsAsync(survey));
    }
}
