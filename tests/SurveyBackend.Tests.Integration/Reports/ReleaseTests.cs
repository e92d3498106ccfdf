using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using SurveyBackend.Aggregation;
using SurveyBackend.Releases;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Integration.Reports;

/// <summary>Releases over the local host and Azurite: make, list, refuse, race, publish, and the public benchmark route.</summary>
[Collection(ReportsCollection.Name)]
public sealed class ReleaseTests(ReportsStack stack)
{
    [Fact]
    public async Task MakeRelease_Returns201WithNumberRespondentsAndTime_AndTheListShowsThemOldestFirst()
    {
        var survey = await stack.PutSurveyAsync("rel");
        var first = await stack.MakeReleaseAsync(survey.Id);
        Assert.Equal(1, (int)first["release"]!);
        Assert.Equal(120, (int)first["respondents"]!);
        Assert.True(DateTimeOffset.TryParse((string)first["createdAt"]!, out _));

        await stack.SeedCountsAsync(survey, 240);
        var second = await stack.MakeReleaseAsync(survey.Id);
        Assert.Equal(2, (int)second["release"]!);
        Assert.Equal(240, (int)second["respondents"]!);

        using var list = await stack.Host.Admin.GetAsync($"api/admin/surveys/{survey.Id}/releases");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var releases = JsonNode.Parse(await list.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal([1, 2], releases.Select(r => (int)r!["release"]!));
        Assert.Equal([120, 240], releases.Select(r => (int)r!["respondents"]!));
        // The sample counts leave regions with nobody in them: those groups are hidden, and counted.
        Assert.All(releases, r => Assert.True((int)r!["hiddenFigures"]! > 0));
        Assert.All(releases, r => Assert.NotNull(r!["createdAt"]));
    }

    [Fact]
    public async Task MakeRelease_UnknownSurvey_Returns404_AndWithoutKey_Returns401()
    {
        using var unknown = await stack.Host.Admin.PostAsync("api/admin/surveys/no-such-survey/releases", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        using var unknownList = await stack.Host.Admin.GetAsync("api/admin/surveys/no-such-survey/releases");
        Assert.Equal(HttpStatusCode.NotFound, unknownList.StatusCode);

        using var anonymous = await stack.Host.Client.PostAsync("api/admin/surveys/no-such-survey/releases", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var anonymousList = await stack.Host.Client.GetAsync("api/admin/surveys/no-such-survey/releases");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousList.StatusCode);
    }

    [Fact]
    public async Task MakeRelease_WithTooFewNewRespondents_Returns409SayingHowManyMoreAreNeeded_AndSoDoesPublishing()
    {
        var survey = await stack.PutSurveyAsync("few");
        await stack.MakeReleaseAsync(survey.Id);
        // Two more respondents: the difference between two releases would be their answers.
        await stack.SeedCountsAsync(survey, 122);

        using var refused = await stack.Host.Admin.PostAsync($"api/admin/surveys/{survey.Id}/releases", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        var needed = (int)problem["respondentsNeeded"]!;
        Assert.True(needed > 0, problem.ToJsonString());
        Assert.Contains($"{needed} more respondent", (string)problem["detail"]!);
        Assert.Equal(409, (int)problem["status"]!);

        using var publish = await stack.Host.Admin.PostAsJsonAsync($"api/admin/surveys/{survey.Id}/reports",
            new { title = "T", summary = "S", publishAt = "2026-01-01T00:00:00Z" });
        Assert.Equal(HttpStatusCode.Conflict, publish.StatusCode);
        Assert.Equal(needed, (int)JsonNode.Parse(await publish.Content.ReadAsStringAsync())!["respondentsNeeded"]!);

        // Nothing was stored by either refusal.
        var releases = JsonNode.Parse(await stack.Host.Admin.GetStringAsync($"api/admin/surveys/{survey.Id}/releases"))!.AsArray();
        Assert.Single(releases);
    }

    [Fact]
    public async Task ConcurrentMakes_NeverShareANumber_AndLeaveNoGap()
    {
        var survey = await stack.PutSurveyAsync("race");
        var attempts = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            using var response = await stack.Host.Admin.PostAsync($"api/admin/surveys/{survey.Id}/releases", null);
            return (response.StatusCode, Body: JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
        }));

        var made = attempts.Where(a => a.StatusCode == HttpStatusCode.Created).Select(a => (int)a.Body["release"]!).ToList();
        Assert.True(made.Count > 0, string.Join("\n", attempts.Select(a => $"{(int)a.StatusCode} {a.Body.ToJsonString()}")));
        Assert.Equal(made.Count, made.Distinct().Count());
        // The others were refused (no new respondents since the first), never an error.
        Assert.All(attempts.Where(a => a.StatusCode != HttpStatusCode.Created), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        var listed = JsonNode.Parse(await stack.Host.Admin.GetStringAsync($"api/admin/surveys/{survey.Id}/releases"))!.AsArray()
            .Select(r => (int)r!["release"]!).ToList();
        Assert.Equal(Enumerable.Range(1, made.Count), listed);
        Assert.Equal(listed, made.Order());
    }

    [Fact]
    public async Task MakersOnTwoInstances_RaceForANumber_TheLoserTriesTheNext()
    {
        var survey = await stack.PutSurveyAsync("inst");
        // Two services over the same storage, as on two instances (each has its own turn-taking).
        ReleaseService Instance() => new(stack.Get<SurveyCatalog>(), stack.Get<ResultsService>(), stack.Get<ReleaseStore>(), TimeProvider.System,
            NullLogger<ReleaseService>.Instance);
        var (a, b) = (Instance(), Instance());

        var first = await Task.WhenAll(a.MakeAsync(survey.Id, CancellationToken.None), b.MakeAsync(survey.Id, CancellationToken.None));
        // One became release 1; the other lost the insert, read again, and found no new respondents since it.
        Assert.Equal([ReleaseOutcome.Made, ReleaseOutcome.NotYetSafe], first.Select(r => r.Outcome).Order());
        Assert.Equal(1, first.Single(r => r.Outcome == ReleaseOutcome.Made).Release!.Number);
        Assert.Equal(survey.MinGroupSize, first.Single(r => r.Outcome == ReleaseOutcome.NotYetSafe).RespondentsNeeded);

        await stack.SeedCountsAsync(survey, 200);
        var second = await Task.WhenAll(a.MakeAsync(survey.Id, CancellationToken.None), b.MakeAsync(survey.Id, CancellationToken.None));
        Assert.Equal(2, second.Single(r => r.Outcome == ReleaseOutcome.Made).Release!.Number);
        Assert.Equal([1, 2], (await a.ListAsync(survey.Id, CancellationToken.None))!.Select(r => r.Release));
    }

    [Fact]
    public async Task ReleaseStore_SecondInsertOfOneNumber_Loses()
    {
        var store = stack.Get<ReleaseStore>();
        var surveyId = $"store-{Guid.NewGuid():N}";
        var release = new StoredRelease(surveyId, 1, 10, DateTimeOffset.UtcNow, 0, "{}", "{}");

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => store.TryAddAsync(release, CancellationToken.None)));

        Assert.Single(results, won => won);
        Assert.Single(await store.ListAsync(surveyId, withDocuments: false, CancellationToken.None));
    }

    [Fact]
    public async Task Publish_WithARelease_ShowsIt_WithoutOne_MakesTheNext_AndAnUnknownOneIs400AtRelease()
    {
        var survey = await stack.PutSurveyAsync("pubrel");
        await stack.MakeReleaseAsync(survey.Id);
        await stack.SeedCountsAsync(survey, 300);

        using var shown = await stack.Host.Admin.PostAsJsonAsync($"api/admin/surveys/{survey.Id}/reports",
            new { title = "First", summary = "S", publishAt = "2026-01-01T00:00:00Z", release = 1 });
        Assert.Equal(HttpStatusCode.Created, shown.StatusCode);
        var shownBody = JsonNode.Parse(await shown.Content.ReadAsStringAsync())!;
        Assert.Equal(1, (int)shownBody["release"]!);
        Assert.NotNull(shownBody["publishAt"]);
        var page = await stack.Host.Client.GetStringAsync($"api/reports/{(string)shownBody["reportId"]!}");
        Assert.Contains("Release 1, made ", page);
        Assert.Contains("Based on 120 responses", page);

        var newId = await stack.PublishAsync(survey.Id, title: "Second");
        var csv = await stack.Host.Client.GetStringAsync($"api/reports/{newId}/results.csv");
        Assert.StartsWith("2,,,300,", csv.Split("\r\n")[1]);
        Assert.Contains("Release 2, made ", await stack.Host.Client.GetStringAsync($"api/reports/{newId}"));

        using var unknown = await stack.Host.Admin.PostAsJsonAsync($"api/admin/surveys/{survey.Id}/reports",
            new { title = "T", summary = "S", publishAt = "2026-01-01T00:00:00Z", release = 9 });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(["release"], JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task Benchmark_Is404UntilAReportShowingAReleaseIsPublic_Then200WithTheRelease_Then304()
    {
        var survey = await stack.PutSurveyAsync("bench");
        using (var none = await stack.Host.Client.GetAsync($"api/surveys/{survey.Id}/benchmark"))
        {
            Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
            Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
        }

        // A release alone, and a report of it that is not yet public, make nothing public.
        await stack.MakeReleaseAsync(survey.Id);
        await stack.PublishAsync(survey.Id, publishAt: stack.Clock.GetUtcNow().AddHours(1), release: 1);
        using (var notYet = await stack.Host.Client.GetAsync($"api/surveys/{survey.Id}/benchmark"))
        {
            Assert.Equal(HttpStatusCode.NotFound, notYet.StatusCode);
        }

        stack.Clock.Offset = TimeSpan.FromHours(2);
        try
        {
            using var ok = await stack.Host.Client.GetAsync($"api/surveys/{survey.Id}/benchmark");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("application/json", ok.Content.Headers.ContentType?.MediaType);
            Assert.True(ok.Headers.CacheControl?.Public);
            Assert.NotNull(ok.Headers.CacheControl?.MaxAge);
            var etag = ok.Headers.ETag;
            Assert.NotNull(etag);
            var body = JsonNode.Parse(await ok.Content.ReadAsStringAsync())!;
            Assert.Equal(1, (int)body["release"]!);
            Assert.NotNull(body["createdAt"]);
            Assert.Equal(survey.Id, (string)body["surveyId"]!);
            Assert.Equal(120, (int)body["respondents"]!);
            Assert.NotEmpty(body["questions"]!.AsArray());
            Assert.NotEmpty(body["segments"]!.AsArray());
            // The journey figures: the stage, a derived single-choice question, with a figure per stage.
            var stages = body["questions"]!.AsArray().Single(q => (string)q!["id"]! == "journey.stage")!;
            Assert.Equal(["broadcasting", "engaging", "serving", "embedded"], stages["options"]!.AsArray().Select(o => (string)o!["id"]!));
            Assert.Equal(120, (int)stages["answered"]!);
            // Public: the raw counts and the admin's live marker stay out.
            Assert.Null(body["counts"]);
            Assert.Null(body["live"]);

            using var again = new HttpRequestMessage(HttpMethod.Get, $"api/surveys/{survey.Id}/benchmark");
            again.Headers.IfNoneMatch.Add(etag!);
            using var notModified = await stack.Host.Client.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

            using var other = new HttpRequestMessage(HttpMethod.Get, $"api/surveys/{survey.Id}/benchmark");
            other.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
            using var modified = await stack.Host.Client.SendAsync(other);
            Assert.Equal(HttpStatusCode.OK, modified.StatusCode);
        }
        finally
        {
            stack.Clock.Offset = TimeSpan.Zero;
        }
    }
}
