using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SurveyBackend.Testing;

namespace SurveyBackend.Benchmarks;

/// <summary>Publishing a report as an owner does, over HTTP: the one way the benchmarks that read reports publish them.</summary>
internal static class Publishing
{
    private const string Title = "Where councils are on the social media journey";
    private const string Summary = "## Findings\nMost councils **engage** rather than broadcast; see the charts.";

    /// <summary>
    /// Publishes a public report (publishAt a minute ago) of <paramref name="release"/>, or of a new release when null,
    /// and returns its id. <paramref name="bilingual"/>: the title and summary in English and Welsh (the sample survey
    /// declares both), as an owner publishes a report meant for Welsh readers too.
    /// </summary>
    public static async Task<string> ReportAsync(LocalHostServer host, string surveyId, int? release, bool bilingual = false)
    {
        using var response = await host.Admin.PostAsJsonAsync($"api/admin/surveys/{surveyId}/reports", new
        {
            title = bilingual ? new { en = Title, cy = "Ble mae cynghorau ar daith y cyfryngau cymdeithasol" } : (object)Title,
            summary = bilingual ? new { en = Summary, cy = "## Canfyddiadau\nMae'r rhan fwyaf o gynghorau yn **ymgysylltu** yn hytrach na darlledu; gweler y siartiau." } : (object)Summary,
            publishAt = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            release,
        });
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"Publishing failed: {(int)response.StatusCode} {body}");
        return (string)JsonNode.Parse(body)!["reportId"]!;
    }
}
