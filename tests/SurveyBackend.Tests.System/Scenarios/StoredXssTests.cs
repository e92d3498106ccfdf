using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using SurveyBackend.Testing;
using SurveyBackend.Tests.System.Harness;
using Xunit.Abstractions;

namespace SurveyBackend.Tests.System.Scenarios;

/// <summary>
/// Scenario 6: script and event-handler payloads stored through every way text gets in (respondents' "Other"
/// text, the report's Markdown summary and title, the survey's own wording) must never run in the report page,
/// the form or the demo page that embeds the form, in headless Chromium.
/// </summary>
public sealed class StoredXssTests(ITestOutputHelper testOutput)
{
    private readonly Progress output = new(testOutput);

    // The demo page embeds the sample survey's id, so the payload-carrying survey is saved under that id.
    private const string SurveyId = RepoPaths.SampleSurveyId;

    /// <summary>Each sets <c>window.__xss</c> (or opens a dialog) if it ever runs.</summary>
    private static readonly string[] Payloads =
    [
        "<script>window.__xss=1</script>",
        "<img src=x onerror=\"window.__xss=2\">",
        "<svg onload=\"window.__xss=3\"></svg>",
        "\"><script>window.__xss=4</script>",
        "'><img src=x onerror=alert(5)>",
        "<iframe srcdoc=\"<script>parent.__xss=6</script>\"></iframe>",
        "<details open ontoggle=\"window.__xss=7\">x</details>",
        "<a href=\"javascript:window.__xss=8\" id=\"xss-link\">click</a>",
        "[md link](javascript:window.__xss=9)",
        "<style onload=\"window.__xss=10\"></style>",
        "</textarea></title><script>window.__xss=11</script>",
        "{{constructor.constructor('window.__xss=12')()}}",
    ];

    [Fact]
    public async Task ScriptPayloads_InOtherText_ReportSummary_AndSurveyWording_NeverRun_InTheReportPageOrTheForm()
    {
        Requires.Routes("surveys/{surveyId}/responses", "admin/surveys/{surveyId}/reports", "reports/{reportId}", "surveys/{surveyId}/form");
        await using var azurite = await AzuriteServer.StartNewAsync();
        // The demo host page is one of the pages probed: it is off unless turned on.
        await using var host = await LocalHostProcess.StartNewAsync(azurite, new Dictionary<string, string> { ["DemoPage__Enabled"] = "true" });

        // The survey's own wording carries payloads too (an admin's typo or a compromised admin key must not become script).
        var survey = JsonNode.Parse(TestSurvey.Json(SurveyId))!;
        survey["title"] = "Survey " + Payloads[0];
        survey["description"] = "About " + Payloads[1];
        survey["questions"]![1]!["text"] = "Channels " + Payloads[2];
        survey["questions"]![1]!["options"]![0]!["text"] = "Twitter " + Payloads[3];
        // The privacy notice shows the controller's name on every form.
        survey["privacy"]!["controller"] = "Controller " + Payloads[5];
        await host.PutSurveyAsync(SurveyId, survey.ToJsonString());

        // "Other" texts, at most 200 characters each, enough respondents that nothing is suppressed.
        var submissions = Enumerable.Range(0, 24).Select(i => Submission.Make(i, "xss", withRespondent: false) with
        {
            Channels = ["twitter", "other"],
            OtherText = Payloads[i % Payloads.Length],
        }).ToList();
        var submitter = new Submitter(host.BaseAddress, SurveyId);
        await submitter.SubmitAllAsync(submissions, parallel: 4, giveUpAfter: TimeSpan.FromSeconds(60));
        Assert.True(submitter.Accepted.Count == submissions.Count, "The client saw:\n" + string.Join('\n', submitter.Failures.Take(10)));
        await Eventually.TrueAsync(async () =>
        {
            using var results = await Outcome.ResultsAsync(host, SurveyId);
            return results is not null && ExpectedResults.RespondentsIn(results) == submissions.Count;
        }, TimeSpan.FromSeconds(60), "every submission to be counted");

        using var published = await host.Admin.PostAsJsonAsync($"api/admin/surveys/{SurveyId}/reports", new
        {
            title = "Report " + Payloads[4],
            summary = "# Findings\n\n" + string.Join("\n\n", Payloads),
            publishAt = DateTimeOffset.UtcNow.AddSeconds(-1),
        });
        var publishedBody = await published.Content.ReadAsStringAsync();
        Assert.True(published.IsSuccessStatusCode, publishedBody);
        var reportId = JsonDocument.Parse(publishedBody).RootElement.GetProperty("reportId").GetString()!;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--disable-gpu", "--disable-quic", "--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"],
        });

        var pages = new[]
        {
            ("report page", new Uri(host.BaseAddress, $"api/reports/{reportId}").ToString()),
            ("form", new Uri(host.BaseAddress, $"api/surveys/{SurveyId}/form").ToString()),
            ("demo page with the embedded form", new Uri(host.BaseAddress, "api/demo").ToString()),
        };
        var ran = new List<string>();
        var payloadShown = new List<string>();
        foreach (var (name, url) in pages)
        {
            var context = await browser.NewContextAsync();
            var page = await context.NewPageAsync();
            var dialogs = new List<string>();
            page.Dialog += async (_, dialog) => { dialogs.Add(dialog.Message); await dialog.DismissAsync(); };
            var response = await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.NetworkIdle });
            output.WriteLine($"{name}: {response?.Status} {url}");
            // Give any handler a chance: open <details>, hover and click every link the payloads could have made.
            foreach (var link in await page.QuerySelectorAllAsync("a[href^='javascript:'], #xss-link"))
            {
                ran.Add($"{name}: a javascript: link was rendered");
                await link.ClickAsync(new() { Force = true, Timeout = 2000 }).ContinueWith(_ => { });
            }
            await page.WaitForTimeoutAsync(500);
            var flag = await page.EvaluateAsync<JsonElement>("() => window.__xss ?? null");
            if (flag.ValueKind != JsonValueKind.Null) ran.Add($"{name}: window.__xss = {flag}");
            ran.AddRange(dialogs.Select(d => $"{name}: a dialog opened ({d})"));
            var text = await page.InnerTextAsync("body");
            if (text.Contains("window.__xss", StringComparison.Ordinal) || text.Contains("onerror", StringComparison.Ordinal)) payloadShown.Add(name);
            await context.CloseAsync();
        }

        new Figures("Stored XSS")
        {
            Submissions = submissions.Count, Accepted = submitter.Accepted.Count, InputsTried = Payloads.Length,
            Notes = $"pages={pages.Length} executed={ran.Count} shown-as-text-on={string.Join('+', payloadShown)}",
        }.Print(output);
        Assert.True(ran.Count == 0, "Stored payloads ran:\n" + string.Join('\n', ran));
    }
}
