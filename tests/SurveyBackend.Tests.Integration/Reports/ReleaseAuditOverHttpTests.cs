using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SurveyBackend.Auditing;
using SurveyBackend.Releases;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Integration.Reports;

/// <summary>
/// The exact attacker over what the public really gets: reports published through the local host over Azurite, their
/// releases read back from the public benchmark route. The attacker sees only those documents and the definition.
/// </summary>
[Collection(ReportsCollection.Name)]
public sealed class ReleaseAuditOverHttpTests(ReportsStack stack)
{
    private const int Seed = 12;

    [Fact]
    public async Task TwoReportsPublishedFiftyRespondentsApart_GiveNoHiddenFigureOrSmallDifferenceAway_AndOneRespondentLaterIsRefused()
    {
        var survey = await stack.PutSurveyAsync("audit", respondents: null);
        var releases = new List<AuditedRelease>();
        foreach (var respondents in new[] { 150, 200 })
        {
            await SampleCounts.SeedAsync(stack.Get<SurveyBackend.Storage.AggregateStore>(), survey, respondents, Seed);
            await stack.PublishAsync(survey.Id);
            var document = await stack.Host.Client.GetStringAsync($"api/surveys/{survey.Id}/benchmark");
            Assert.Equal(releases.Count + 1, (int)JsonNode.Parse(document)!["release"]!);
            releases.Add(new AuditedRelease(Release.ResultsFromPublicJson(document), Frozen(SampleCounts.For(survey, respondents, Seed))));
        }

        var report = ReleaseAuditor.Audit(survey, releases);

        Assert.True(report.Passed, string.Join("\n", report.Violations.Take(10)));
        Assert.True(report.Targets > 1000, report.ToString());

        // One respondent after release 2: publishing would make a release that gives that respondent away.
        await SampleCounts.SeedAsync(stack.Get<SurveyBackend.Storage.AggregateStore>(), survey, 201, Seed);
        using var refused = await stack.Host.Admin.PostAsJsonAsync($"api/admin/surveys/{survey.Id}/reports",
            new { title = "T", summary = "S", publishAt = "2026-01-01T00:00:00Z" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(survey.MinGroupSize - 1, (int)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["respondentsNeeded"]!);
    }

    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Frozen(Dictionary<string, Dictionary<string, long>> counts) =>
        counts.ToDictionary(c => c.Key, c => (IReadOnlyDictionary<string, long>)c.Value);
}
