using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SurveyBackend.Mailing;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Integration.Foundation;

/// <summary>
/// Every operation in docs/openapi.json, called over HTTP in the states a user meets (found, not found, refused,
/// invalid, conflict), answers only statuses the document declares for it, with bodies valid against the declared
/// schema (<see cref="OpenApiConformance"/>). One run lists every fault.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class ContractConformanceTests(StackFixture stack)
{
    private readonly OpenApiConformance _contract = new();
    private HttpClient Public => stack.Host.Client;
    private HttpClient Admin => stack.Host.Admin;

    [Fact]
    public async Task EveryOperation_AnswersOnlyDeclaredStatuses_WithBodiesValidAgainstTheDocumentsSchemas()
    {
        var id = $"contract-{Guid.NewGuid():N}"[..24];
        await SurveyRoutesAsync(id);
        await IntakeRoutesAsync(id);
        await ResultsRoutesAsync(id);
        var reportId = await ReleaseAndReportRoutesAsync($"{id}-r");
        await PublishedReportRoutesAsync(reportId);
        await OperatorRoutesAsync();
        await PagesAndAssetsAsync();
        await EveryAdminOperation_WithoutTheKey_Is401Async();

        Assert.Empty(_contract.Uncalled);
        Assert.True(_contract.Faults.Count == 0, $"{_contract.Faults.Count} answers differ from docs/openapi.json:\n" + string.Join('\n', _contract.Faults));
    }

    private async Task SurveyRoutesAsync(string id)
    {
        var json = await RepoPaths.SampleSurveyJsonAsync(id);
        await Expect(201, Admin.PutAsync($"api/admin/surveys/{id}", Json(json)));
        await Expect(200, Admin.PutAsync($"api/admin/surveys/{id}", Json(json)));
        await Expect(400, Admin.PutAsync($"api/admin/surveys/{id}", Json($$"""{ "id": "{{id}}" }""")));
        await Expect(415, Admin.PutAsync($"api/admin/surveys/{id}", new StringContent(json, Encoding.UTF8, "text/plain")));
        await Expect(413, Admin.PutAsync($"api/admin/surveys/{id}", Json(new string(' ', SurveyEndpoints.MaxDefinitionBytes + 1))));

        await Expect(200, Public.GetAsync($"api/surveys/{id}"));
        await Expect(200, Public.GetAsync($"api/surveys/{id}?lang=cy"));
        await ExpectNotModifiedAsync($"api/surveys/{id}");
        await Expect(404, Public.GetAsync("api/surveys/no-such-survey"));

        await Expect(200, Admin.GetAsync($"api/admin/surveys/{id}"));
        await Expect(404, Admin.GetAsync("api/admin/surveys/no-such-survey"));
        await Expect(200, Admin.GetAsync("api/admin/surveys"));
    }

    private async Task IntakeRoutesAsync(string id)
    {
        var closed = $"{id}-c";
        var closedJson = JsonNode.Parse(await RepoPaths.SampleSurveyJsonAsync(closed))!.AsObject();
        closedJson["status"] = "closed";
        await Expect(201, Admin.PutAsync($"api/admin/surveys/{closed}", Json(closedJson.ToJsonString())));

        var submission = Submission(Guid.NewGuid());
        await Expect(202, Public.PostAsJsonAsync($"api/surveys/{id}/responses", submission));
        await Expect(200, Public.PostAsJsonAsync($"api/surveys/{id}/responses", submission));
        await Expect(400, Public.PostAsJsonAsync($"api/surveys/{id}/responses", new { submissionId = "not-a-uuid", answers = new { channels = "nope" } }));
        await Expect(404, Public.PostAsJsonAsync("api/surveys/no-such-survey/responses", Submission(Guid.NewGuid())));
        await Expect(410, Public.PostAsJsonAsync($"api/surveys/{closed}/responses", Submission(Guid.NewGuid())));
        await Expect(413, Public.PostAsync($"api/surveys/{id}/responses", Json(new string(' ', 33 * 1024))));
        await Expect(415, Public.PostAsync($"api/surveys/{id}/responses", new StringContent("{}", Encoding.UTF8, "text/plain")));
        await Expect(403, Public.SendAsync(CrossSite(HttpMethod.Post, $"api/surveys/{id}/responses", Json(JsonSerializer.Serialize(Submission(Guid.NewGuid()))))));
        await Expect(200, Public.GetAsync("api/challenge"));

        await Expect(200, Public.GetAsync($"api/surveys/{id}/form"));
        await Expect(404, Public.GetAsync("api/surveys/no-such-survey/form"));
        await Expect(410, Public.GetAsync($"api/surveys/{closed}/form"));
        await Expect(415, Public.PostAsync($"api/surveys/{id}/form", Json("{}")));
        await Expect(403, Public.PostAsync($"api/surveys/{id}/form", new FormUrlEncodedContent([new("submissionId", Guid.NewGuid().ToString())])));

        // The survey now has a response: its questions are fixed.
        var changed = JsonNode.Parse(await RepoPaths.SampleSurveyJsonAsync(id))!.AsObject();
        changed["questions"]!.AsArray().RemoveAt(changed["questions"]!.AsArray().Count - 1);
        await Expect(409, Admin.PutAsync($"api/admin/surveys/{id}", Json(changed.ToJsonString())));
    }

    private async Task ResultsRoutesAsync(string id)
    {
        await Expect(200, Admin.GetAsync($"api/admin/surveys/{id}/results"));
        await Expect(200, Admin.GetAsync($"api/admin/surveys/{id}/results?format=csv"));
        await Expect(400, Admin.GetAsync($"api/admin/surveys/{id}/results?format=xml"));
        await Expect(404, Admin.GetAsync("api/admin/surveys/no-such-survey/results"));
        await Expect(200, Admin.GetAsync($"api/admin/surveys/{id}/days"));
        await Expect(404, Admin.GetAsync("api/admin/surveys/no-such-survey/days"));
        await Expect(200, Admin.GetAsync("api/admin/intake?hours=3"));
        await Expect(400, Admin.GetAsync("api/admin/intake?hours=0"));
        await Expect(200, Admin.PostAsync($"api/admin/surveys/{id}/aggregates/rebuild", null));
        await Expect(404, Admin.PostAsync("api/admin/surveys/no-such-survey/aggregates/rebuild", null));
    }

    /// <summary>Releases and reports of a survey of its own, whose counts are seeded (no submissions race the seeding).</summary>
    private async Task<string> ReleaseAndReportRoutesAsync(string id)
    {
        await Expect(201, Admin.PutAsync($"api/admin/surveys/{id}", Json(await RepoPaths.SampleSurveyJsonAsync(id))));
        await Expect(200, Admin.GetAsync($"api/admin/surveys/{id}/releases"));
        await Expect(409, Admin.PostAsync($"api/admin/surveys/{id}/releases", null));
        await Expect(409, Admin.PostAsJsonAsync($"api/admin/surveys/{id}/reports", Report()));
        await Expect(404, Public.GetAsync($"api/surveys/{id}/benchmark"));

        var definition = (await stack.Host.Services.GetRequiredService<SurveyCatalog>().FindAsync(id, CancellationToken.None))!.Definition;
        await SampleCounts.SeedAsync(stack.Host.Services.GetRequiredService<AggregateStore>(), definition, 120);
        await Expect(201, Admin.PostAsync($"api/admin/surveys/{id}/releases", null));
        await Expect(200, Admin.GetAsync($"api/admin/surveys/{id}/releases"));
        await Expect(404, Admin.PostAsync("api/admin/surveys/no-such-survey/releases", null));
        await Expect(404, Admin.GetAsync("api/admin/surveys/no-such-survey/releases"));

        var published = await Expect(201, Admin.PostAsJsonAsync($"api/admin/surveys/{id}/reports", Report(release: 1)));
        await Expect(400, Admin.PostAsJsonAsync($"api/admin/surveys/{id}/reports", new { summary = "No title." }));
        await Expect(404, Admin.PostAsJsonAsync("api/admin/surveys/no-such-survey/reports", Report()));
        await Expect(413, Admin.PostAsync($"api/admin/surveys/{id}/reports", Json(new string(' ', 65 * 1024))));
        await Expect(415, Admin.PostAsync($"api/admin/surveys/{id}/reports", new StringContent("{}", Encoding.UTF8, "text/plain")));
        await Expect(200, Admin.GetAsync($"api/admin/surveys/{id}/reports"));
        await Expect(404, Admin.GetAsync("api/admin/surveys/no-such-survey/reports"));

        await Expect(200, Public.GetAsync($"api/surveys/{id}/benchmark"));
        await ExpectNotModifiedAsync($"api/surveys/{id}/benchmark");
        return (string)published!["reportId"]!;
    }

    private async Task PublishedReportRoutesAsync(string reportId)
    {
        await Expect(200, Admin.GetAsync($"api/admin/reports/{reportId}/deliveries"));
        await Expect(404, Admin.GetAsync("api/admin/reports/no-such-report/deliveries"));
        await Expect(200, Admin.PostAsync($"api/admin/reports/{reportId}/final", null));
        await Expect(404, Admin.PostAsync("api/admin/reports/no-such-report/final", null));
        await Expect(200, Admin.GetAsync($"api/admin/reports/{reportId}/deliveries"));
        foreach (var page in new[] { "", "/results.csv", "/slides" })
        {
            await Expect(200, Public.GetAsync($"api/reports/{reportId}{page}"));
            await Expect(404, Public.GetAsync($"api/reports/no-such-report{page}"));
        }
        await Expect(200, Public.GetAsync($"api/reports/{reportId}/charts/channels.svg"));
        await Expect(404, Public.GetAsync($"api/reports/{reportId}/charts/no-such-question.svg"));
    }

    private async Task OperatorRoutesAsync()
    {
        var poison = await Expect(200, Admin.GetAsync("api/admin/poison"));
        var queue = (string?)poison?["queues"]?[0]?["queue"] ?? "no-queue-listed";
        await Expect(200, Admin.PostAsync($"api/admin/poison/{queue}/replay", null));
        await Expect(404, Admin.PostAsync("api/admin/poison/no-such-queue/replay", null));

        await Expect(200, Admin.PostAsJsonAsync("api/admin/summary-preview", new { summary = "**Findings**" }));
        await Expect(400, Admin.PostAsJsonAsync("api/admin/summary-preview", new { summary = 3 }));
        await Expect(413, Admin.PostAsync("api/admin/summary-preview", Json(new string(' ', 65 * 1024))));
        await Expect(415, Admin.PostAsync("api/admin/summary-preview", new StringContent("{}", Encoding.UTF8, "text/plain")));

        var token = stack.Host.Services.GetRequiredService<UnsubscribeTokens>().Create("contract@example.gov.uk");
        await Expect(200, Public.GetAsync($"api/unsubscribe?token={token}"));
        await Expect(400, Public.GetAsync("api/unsubscribe?token=forged"));
        await Expect(200, Public.PostAsync($"api/unsubscribe?token={token}", null));
        await Expect(400, Public.PostAsync("api/unsubscribe?token=forged", null));
        // The page's button: a browser's POST gets the page that says unsubscribed and erased.
        using var button = new HttpRequestMessage(HttpMethod.Post, $"api/unsubscribe?token={token}")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }),
        };
        button.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        await Expect(200, Public.SendAsync(button));

        await Expect(200, Public.GetAsync("api/health"));
        // Its 503 needs storage stopped: HealthOutageTests.
        await Expect(200, Admin.GetAsync("api/admin/health"));
        await Expect(200, Public.GetAsync("api/openapi.json"));
        await ExpectNotModifiedAsync("api/openapi.json");
    }

    private async Task PagesAndAssetsAsync()
    {
        foreach (var script in new[] { "api/embed.js", "api/form.js", "api/proof-worker.js" })
        {
            await Expect(200, Public.GetAsync(script));
            await ExpectNotModifiedAsync(script);
        }
        // The demo page is off everywhere but start.sh: it answers as an address that does not exist.
        await Expect(404, Public.GetAsync("api/demo"));
        foreach (var path in new[] { "api/console", "api/console/console.js", "api/console/console.css" }) await Expect(200, Public.GetAsync(path));
    }

    private async Task EveryAdminOperation_WithoutTheKey_Is401Async()
    {
        foreach (var operation in _contract.Operations.Where(_contract.NeedsKey))
        {
            var space = operation.IndexOf(' ', StringComparison.Ordinal);
            var path = "api" + System.Text.RegularExpressions.Regex.Replace(operation[(space + 1)..], "{[^}]+}", "no-such-thing");
            using var request = new HttpRequestMessage(new HttpMethod(operation[..space]), path);
            if (operation[..space] is "POST" or "PUT") request.Content = Json("{}");
            await Expect(401, Public.SendAsync(request));
        }
    }

    private async Task<JsonNode?> Expect(int status, Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        return await _contract.CheckAsync(response, status);
    }

    private async Task ExpectNotModifiedAsync(string path)
    {
        using var first = await Public.GetAsync(path);
        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        if (first.Headers.ETag is { } etag) again.Headers.IfNoneMatch.Add(etag);
        await Expect(304, Public.SendAsync(again));
    }

    private static StringContent Json(string json) => new(json, new MediaTypeHeaderValue("application/json"));

    private static object Submission(Guid submissionId) => new
    {
        submissionId,
        answers = new Dictionary<string, object>
        {
            ["organisationType"] = "county", ["region"] = "wales", ["role"] = "digital", ["channels"] = new[] { "twitter" },
            ["maturity"] = "engage", ["customerService"] = "no", ["teamSize"] = "none", ["challenge"] = "skills",
        },
    };

    private static object Report(int? release = null) =>
        new { title = "Where councils are", summary = "## Findings", publishAt = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture), release };

    /// <summary>A request as a browser sends it from a page on another site.</summary>
    private static HttpRequestMessage CrossSite(HttpMethod method, string path, HttpContent content)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        return request;
    }
}
