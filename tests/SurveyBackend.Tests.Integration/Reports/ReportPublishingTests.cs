using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SurveyBackend.Aggregation;

namespace SurveyBackend.Tests.Integration.Reports;

[Collection(ReportsCollection.Name)]
public sealed class ReportPublishingTests(ReportsStack stack)
{
    [Fact]
    public async Task Publish_Returns201WithIdAndUrl_AndThePageIs404UntilPublishAt()
    {
        var survey = await stack.PutSurveyAsync("pub");
        var publishAt = stack.Clock.GetUtcNow().AddHours(1);
        using var response = await stack.Host.Admin.PostAsJsonAsync($"api/admin/surveys/{survey.Id}/reports",
            new { title = "Later", summary = "Soon.", publishAt = publishAt.ToString("yyyy-MM-ddTHH:mm:ssZ") });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var reportId = (string)body["reportId"]!;
        Assert.Equal($"https://reports.example.org/api/reports/{reportId}", (string)body["url"]!);
        Assert.Equal((string)body["url"]!, response.Headers.Location?.ToString());

        using var early = await stack.Host.Client.GetAsync($"api/reports/{reportId}");
        Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
        Assert.Equal("application/problem+json", early.Content.Headers.ContentType?.MediaType);
        using var earlyCsv = await stack.Host.Client.GetAsync($"api/reports/{reportId}/results.csv");
        Assert.Equal(HttpStatusCode.NotFound, earlyCsv.StatusCode);

        stack.Clock.Offset = TimeSpan.FromHours(2);
        try
        {
            using var later = await stack.Host.Client.GetAsync($"api/reports/{reportId}");
            Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        }
        finally
        {
            stack.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task Publish_WithBadFields_Returns400WithEveryFieldPath()
    {
        var survey = await stack.PutSurveyAsync("bad");
        using var response = await stack.Host.Admin.PostAsJsonAsync($"api/admin/surveys/{survey.Id}/reports",
            new { title = new string('t', 201), summary = new string('s', 20_001), publishAt = "next tuesday", reportUrl = "http://insecure.example.org/r.pdf" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Equal(["publishAt", "reportUrl", "summary", "title"], errors.Select(e => e.Key).Order());

        using var missing = await stack.Host.Admin.PostAsJsonAsync($"api/admin/surveys/{survey.Id}/reports", new { summary = "x" });
        var missingErrors = JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Equal(["publishAt", "title"], missingErrors.Select(e => e.Key).Order());
    }

    [Fact]
    public async Task Publish_UnknownSurvey_Returns404_AndWithoutKey_Returns401()
    {
        using var unknown = await stack.Host.Admin.PostAsJsonAsync("api/admin/surveys/no-such-survey/reports",
            new { title = "T", summary = "S", publishAt = "2026-01-01T00:00:00Z" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        using var anonymous = await stack.Host.Client.PostAsJsonAsync("api/admin/surveys/no-such-survey/reports",
            new { title = "T", summary = "S", publishAt = "2026-01-01T00:00:00Z" });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var deliveries = await stack.Host.Admin.GetAsync("api/admin/reports/nosuchreport/deliveries");
        Assert.Equal(HttpStatusCode.NotFound, deliveries.StatusCode);
    }

    [Fact]
    public async Task Publish_SnapshotsResults_LaterResultsDoNotChangeThePublishedReport()
    {
        var survey = await stack.PutSurveyAsync("snap");
        var reportId = await stack.PublishAsync(survey.Id);
        var before = await stack.Host.Client.GetStringAsync($"api/reports/{reportId}/results.csv");

        await stack.SeedCountsAsync(survey, 999);
        var after = await stack.Host.Client.GetStringAsync($"api/reports/{reportId}/results.csv");
        var page = await stack.Host.Client.GetStringAsync($"api/reports/{reportId}");

        Assert.Equal(before, after);
        Assert.Contains("Based on 120 responses", page);
    }

    [Fact]
    public async Task ReportCsv_CarriesTheSameFiguresAsThePage_NamesTheRelease_HiddenCellsEmpty()
    {
        var survey = await stack.PutSurveyAsync("csv");
        var reportId = await stack.PublishAsync(survey.Id);
        using var response = await stack.Host.Client.GetAsync($"api/reports/{reportId}/results.csv");
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("release,segmentQuestionId,segmentOptionId,respondents,questionId,question,optionId,option,answered,count,share,hidden", lines[0]);
        // organisationType, first option: half the 120 sample respondents, share 0.5; release 1 on every row.
        Assert.True(lines.Any(l => l.StartsWith("1,,,120,organisationType,", StringComparison.Ordinal) && l.EndsWith(",county,County council,120,60,0.5,false", StringComparison.Ordinal)),
            string.Join("\n", lines.Take(3)));
        Assert.All(lines.Skip(1), l => Assert.StartsWith("1,", l));
        // Results are by reporting group: the sample counts put nobody in London (the regions they use all fall in the
        // other groups), so London is a hidden group, every figure of it empty and marked hidden.
        Assert.Contains("london", ReportingView.Of(survey).Definition.FindQuestion("region")!.Options.Select(o => o.Id));
        var hiddenRows = lines.Where(l => l.StartsWith("1,region,london,,", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(hiddenRows);
        Assert.All(hiddenRows, l => Assert.EndsWith(",,,true", l));
        Assert.DoesNotContain("fewer", string.Join("\n", lines), StringComparison.OrdinalIgnoreCase);
    }
}
