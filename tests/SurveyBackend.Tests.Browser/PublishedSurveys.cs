using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SurveyBackend.Aggregation;
using SurveyBackend.Journey;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Browser;

/// <summary>
/// Surveys for the report, slides and comparison tests, made once per run through the real admin routes: the sample
/// survey under its own id with seeded counts, a release and a published report; and one with no public release.
/// </summary>
public sealed class PublishedSurveys(BrowserFixture fixture)
{
    public const int Respondents = 600;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string SurveyId, string ReportId)? _published;
    private string? _unreleased;

    /// <summary>An open copy of the sample survey with a public release (seeded counts) and a report showing it.</summary>
    public async Task<(string SurveyId, string ReportId)> PublishedAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_published is { } done) return done;
            var surveyId = await PutCopyAsync("released");
            var definition = (await fixture.Host.Services.GetRequiredService<SurveyCatalog>().FindAsync(surveyId, CancellationToken.None))!.Definition;
            await SampleCounts.SeedAsync(fixture.Host.Services.GetRequiredService<AggregateStore>(), definition, Respondents, seed: 13);
            var reportId = await ReleaseAndReportAsync(surveyId, "Where councils are on the social media journey", "Most councils **engage** rather than broadcast.");
            _published = (surveyId, reportId);
            return _published.Value;
        }
        finally
        {
            _gate.Release();
        }
    }

    private string? _journeyed;

    /// <summary>
    /// An open copy of the sample survey whose public release has councils at every journey stage: respondents spread
    /// by <see cref="JourneyRespondents"/> (their own random source, so the other surveys' figures stay as they were),
    /// counted as counting counts them (the stage scored), released and published like <see cref="PublishedAsync"/>'s.
    /// </summary>
    public async Task<string> JourneyedAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_journeyed is { } done) return done;
            var surveyId = await PutCopyAsync("journeyed");
            var definition = (await fixture.Host.Services.GetRequiredService<SurveyCatalog>().FindAsync(surveyId, CancellationToken.None))!.Definition;
            var counts = SampleCounts.Count(definition, JourneyRespondents.Answers(definition, Respondents, seed: 28));
            // The peers table's tests mean something only with councils at every stage, overall and among counties.
            foreach (var scope in new[] { Tally.All, Tally.SegmentScope("organisationType", "county") })
                Assert.All(definition.Journey!.Stages, s => Assert.True(counts[scope].GetValueOrDefault(Tally.Chose(StageQuestion.Id, s.Id)) >= 10, $"{scope}: {s.Id}"));
            await SampleCounts.SeedAsync(fixture.Host.Services.GetRequiredService<AggregateStore>(), definition, counts);
            await ReleaseAndReportAsync(surveyId, "Where councils are on the journey", "Councils at every stage.");
            return _journeyed = surveyId;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Release 1 through the admin route, and a report on it published a minute ago (which makes the release public).</summary>
    private async Task<string> ReleaseAndReportAsync(string surveyId, string title, string summary)
    {
        using var release = await fixture.Host.Admin.PostAsync($"api/admin/surveys/{surveyId}/releases", null);
        Assert.True(release.StatusCode == HttpStatusCode.Created, await release.Content.ReadAsStringAsync());
        using var report = await fixture.Host.Admin.PostAsJsonAsync($"api/admin/surveys/{surveyId}/reports", new
        {
            title,
            summary,
            publishAt = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssZ"),
            release = 1,
        });
        var body = await report.Content.ReadAsStringAsync();
        Assert.True(report.StatusCode == HttpStatusCode.Created, body);
        return (string)JsonNode.Parse(body)!["reportId"]!;
    }

    private (string SurveyId, string ReportId)? _twoWaves;

    /// <summary>
    /// Two waves, each with seeded counts, a release and a public report: a copy of the 2016 sample wave, and a copy
    /// of the sample as shipped (with its comparableWith mark) naming it as its previousWave. Returns the current one.
    /// </summary>
    public async Task<(string SurveyId, string ReportId)> TwoWavesAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_twoWaves is { } done) return done;
            var previousId = await PutCopyAsync("wave16", RepoPaths.PreviousWaveSample, status: "closed");
            await SeedAndPublishAsync(previousId, Respondents - 100, seed: 16, "Social media in local government 2016");
            var currentId = await PutCopyAsync("wave17", RepoPaths.SampleSurveyAsShipped, status: "closed", previousWave: previousId);
            // The current wave's report is in Welsh too (the sample declares cy): WelshTests reads it in Welsh.
            _twoWaves = (currentId, await SeedAndPublishAsync(currentId, Respondents, seed: 17, "What changed since 2016", welshTitle: "Beth sydd wedi newid ers 2016"));
            return _twoWaves.Value;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string> SeedAndPublishAsync(string surveyId, int respondents, int seed, string title, string? welshTitle = null)
    {
        var definition = (await fixture.Host.Services.GetRequiredService<SurveyCatalog>().FindAsync(surveyId, CancellationToken.None))!.Definition;
        await SampleCounts.SeedAsync(fixture.Host.Services.GetRequiredService<AggregateStore>(), definition, respondents, seed);
        const string summary = "Councils moved from **broadcast** towards **engagement**.";
        using var report = await fixture.Host.Admin.PostAsJsonAsync($"api/admin/surveys/{surveyId}/reports", new
        {
            title = welshTitle is null ? (object)title : new { en = title, cy = welshTitle },
            summary = welshTitle is null ? (object)summary : new { en = summary, cy = "Symudodd cynghorau o **ddarlledu** tuag at **ymgysylltu**." },
            publishAt = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssZ"),
        });
        var body = await report.Content.ReadAsStringAsync();
        Assert.True(report.StatusCode == HttpStatusCode.Created, body);
        return (string)JsonNode.Parse(body)!["reportId"]!;
    }

    /// <summary>An open copy of the sample survey that has no release yet.</summary>
    public async Task<string> UnreleasedAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return _unreleased ??= await PutCopyAsync("unreleased");
        }
        finally
        {
            _gate.Release();
        }
    }

    public string ReportUrl(string reportId) => new Uri(fixture.Host.BaseAddress, $"api/reports/{reportId}").ToString();
    public string SlidesUrl(string reportId) => ReportUrl(reportId) + "/slides";
    public string FormUrl(string surveyId) => new Uri(fixture.Host.BaseAddress, $"api/surveys/{surveyId}/form").ToString();

    private async Task<string> PutCopyAsync(string name, string? file = null, string status = "open", string? previousWave = null)
    {
        var json = JsonNode.Parse(await File.ReadAllTextAsync(file ?? RepoPaths.SampleSurvey))!.AsObject();
        var id = $"{name}-{Guid.NewGuid():N}"[..24];
        json["id"] = id;
        json["status"] = status;
        if (previousWave is not null) json["previousWave"] = previousWave;
        using var response = await fixture.Host.PutSurveyAsync(id, json.ToJsonString());
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return id;
    }
}
