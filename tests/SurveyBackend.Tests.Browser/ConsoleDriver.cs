using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Browser;

/// <summary>Drives the survey owner's console (<c>/api/console</c>) as the owner would, and sets up the surveys it is shown.</summary>
public sealed class ConsoleDriver(IPage page, BrowserFixture fixture)
{
    public IPage Page => page;
    public string Url => new Uri(fixture.Host.BaseAddress, "api/console").ToString();

    public ILocator Key => page.Locator("#key");
    public ILocator KeyError => page.Locator("#key-error");
    public ILocator App => page.Locator("#app");
    public ILocator Total => page.Locator("#daily-total");
    public ILocator Status => page.Locator("#status");
    public ILocator ReleaseMessage => page.Locator("#release-message");
    public ILocator PublishMessage => page.Locator("#publish-message");
    public ILocator DefinitionMessage => page.Locator("#definition-errors");
    public ILocator Definition => page.Locator("#definition-json");

    public ILocator Button(string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    public async Task SignInAsync(string key)
    {
        if (page.Url != Url) await page.GotoAsync(Url);
        await Key.FillAsync(key);
        await Button("Sign in").ClickAsync();
    }

    public async Task SignInAsOwnerAsync()
    {
        await SignInAsync(LocalHostServer.FunctionKey);
        await Assertions.Expect(App).ToBeVisibleAsync();
    }

    /// <summary>Opens a survey from the list and waits until its figures are on the page.</summary>
    public async Task OpenAsync(string surveyId)
    {
        await page.Locator($"button[data-survey='{surveyId}']").ClickAsync();
        await Assertions.Expect(page.Locator("#survey")).ToBeVisibleAsync();
        await Assertions.Expect(Total).ToHaveAttributeAsync("data-total", new System.Text.RegularExpressions.Regex("^[0-9]+$"));
    }

    /// <summary>Waits (the console refreshes every few seconds) until it shows this many respondents.</summary>
    public Task ExpectRespondentsAsync(int n) =>
        Assertions.Expect(Total).ToHaveAttributeAsync("data-total", n.ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 30_000 });

    /// <summary>A count in this hour's row of "Submissions per hour" (0 while the hour has none).</summary>
    public async Task<long> IntakeCountAsync(string field)
    {
        var row = page.Locator("#intake-table tbody tr").First;
        if (await page.Locator("#intake-table tbody tr").CountAsync() == 0
            || DateTimeOffset.Parse((await row.GetAttributeAsync("data-hour"))!, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime.Hour != DateTime.UtcNow.Hour)
            return 0;
        return long.Parse((await row.Locator($"td[data-field='{field}']").InnerTextAsync()).Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Full-page screenshots at 1280 and 375 px wide, under the test output's artifacts/.</summary>
    public async Task ScreenshotsAsync(string name)
    {
        foreach (var width in new[] { 1280, 375 })
        {
            await page.SetViewportSizeAsync(width, 900);
            await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "artifacts", $"console-{name}-{width}.png"), FullPage = true });
        }
        await page.SetViewportSizeAsync(1280, 900);
    }

    /// <summary>The sample survey under a new id (so each test has its own figures), with its status and small-group threshold.</summary>
    public static async Task<string> PutSurveyAsync(BrowserFixture fixture, string prefix, string status = "open", int minGroupSize = 3)
    {
        var json = JsonNode.Parse(await File.ReadAllTextAsync(RepoPaths.SampleSurvey))!.AsObject();
        var id = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
        json["id"] = id;
        json["title"] = new System.Text.Json.Nodes.JsonObject { ["en"] = $"Console test: {prefix}", ["cy"] = $"Console test: {prefix}" };
        json["status"] = status;
        json["minGroupSize"] = minGroupSize;
        json.Remove("opensAt");
        json.Remove("closesAt");
        using var response = await fixture.Host.PutSurveyAsync(id, json.ToJsonString());
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return id;
    }

    /// <summary>
    /// One complete response through the JSON route, as the embedded form sends it. Two variants of answers: a release
    /// of respondents who all answered alike would show nothing (every figure would say what each of them chose).
    /// </summary>
    public static async Task SubmitAsync(BrowserFixture fixture, string surveyId, string? email = null, int variant = 0)
    {
        var first = variant % 2 == 0;
        using var response = await fixture.Host.Client.PostAsJsonAsync($"api/surveys/{surveyId}/responses", new
        {
            submissionId = Guid.NewGuid().ToString(),
            answers = new Dictionary<string, object>
            {
                ["organisationType"] = first ? "county" : "district", ["region"] = first ? "london" : "south-west",
                ["role"] = first ? "digital" : "head-of-comms", ["channels"] = first ? new[] { "twitter", "facebook" } : new[] { "instagram" },
                ["maturity"] = first ? "engage" : "broadcast", ["customerService"] = first ? "process" : "no",
                ["teamSize"] = first ? "1-2" : "none", ["challenge"] = first ? "skills" : "resources",
            },
            respondent = email is null ? null : new { email, wantsReport = true, consent = true },
            // Posted as a script: it pays with a solved proof of work, as the form's script does.
            proof = await ProofSolver.FetchAndSolveAsync(fixture.Host.Client),
            website = "",
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
