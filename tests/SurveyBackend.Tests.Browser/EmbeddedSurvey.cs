using System.Text.Json;
using Microsoft.Playwright;
using SurveyBackend.Form;

namespace SurveyBackend.Tests.Browser;

/// <summary>
/// The survey embedded as a community site embeds it: the snippet docs/form.md gives (<see cref="DemoPage.Snippet"/>) on
/// a page of another origin (<see cref="StaticSite"/>, a second loopback port) whose CSP allows the backend's script and
/// frame and nothing else. It records what the host page hears (every message its window receives) and every address
/// the frame loads.
/// </summary>
public sealed class EmbeddedSurvey
{
    // In the host page's own window only (init scripts run in every frame), before any of its scripts.
    private const string Listen = """
        if (window === window.top) {
          window.__heard = [];
          window.addEventListener('message', e => window.__heard.push({ origin: e.origin, type: typeof e.data, data: JSON.stringify(e.data) ?? String(e.data) }), true);
        }
        """;

    private EmbeddedSurvey(SurveyPage survey) => Survey = survey;

    public SurveyPage Survey { get; private set; }
    public IPage Page => Survey.Page;
    public IFrame Frame => Survey.Frame;
    /// <summary>Every address the frame asked for as a document, in order (its first load, and any post or switch).</summary>
    public List<string> FrameUrls { get; } = [];
    /// <summary>Errors on the console of the host page or the frame (a CSP refusal, a script error).</summary>
    public List<string> ConsoleErrors { get; } = [];

    public static string HostCsp(BrowserFixture fixture) =>
        $"default-src 'none'; script-src {fixture.BackendOrigin}; frame-src {fixture.BackendOrigin}; style-src 'none'";

    public static async Task<EmbeddedSurvey> OpenAsync(
        BrowserFixture fixture, string surveyId = BrowserFixture.SurveyId, string? lang = null, bool javaScript = true, bool bypassCsp = false, int width = 1100, bool expectForm = true)
    {
        var page = await fixture.NewPageAsync(javaScript: javaScript, bypassCsp: bypassCsp, width: width);
        await page.AddInitScriptAsync(Listen);
        var url = fixture.Community.Serve($"/have-your-say/{surveyId}/{lang}", $"""
            <!doctype html><html lang="{lang ?? "en"}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Community hub: have your say</title></head>
            <body><p><a href="#">Community hub</a></p><h1>Have your say</h1>
            {DemoPage.Snippet(fixture.BackendOrigin + "/api/", surveyId, lang)}
            <p>Thank you for taking part.</p></body></html>
            """, HostCsp(fixture));

        var embedded = new EmbeddedSurvey(new SurveyPage(page));
        page.Request += (_, r) => { if (r.IsNavigationRequest && r.Frame != page.MainFrame) embedded.FrameUrls.Add(r.Url); };
        // A survey with no public release answers the thank-you's benchmark request with a 404, and this host page
        // has no favicon: those two are expected.
        page.Console += (_, m) =>
        {
            if (m.Type == "error" && !(m.Text.Contains("404", StringComparison.Ordinal) && (m.Location.Contains("/benchmark", StringComparison.Ordinal) || m.Location.EndsWith("/favicon.ico:0:0", StringComparison.Ordinal))))
                embedded.ConsoleErrors.Add(m.Text + " (" + m.Location + ")");
        };
        await page.GotoAsync(url);
        var frame = await (await page.Locator("iframe").ElementHandleAsync()).ContentFrameAsync()
            ?? throw new InvalidOperationException("The iframe has no frame.");
        if (expectForm) await frame.Locator(javaScript ? "form.sv-form[data-enhanced]" : "form.sv-form").WaitForAsync();
        embedded.Survey = new SurveyPage(page, frame);
        return embedded;
    }

    /// <summary>Every message the host page's window has received: its origin, its JavaScript type, and its data as JSON.</summary>
    public async Task<IReadOnlyList<(string Origin, string Type, string Data)>> HeardAsync()
    {
        var json = await Page.EvaluateAsync<string>("() => JSON.stringify(window.__heard)");
        return [.. JsonDocument.Parse(json).RootElement.EnumerateArray()
            .Select(m => (m.GetProperty("origin").GetString()!, m.GetProperty("type").GetString()!, m.GetProperty("data").GetString()!))];
    }

    /// <summary>
    /// Waits until the host has sized the frame to its page: exactly as tall as its content (no inner scroll bar, no
    /// blank below), and nothing scrolls sideways in the frame or the host page. A frame that never fits fails here.
    /// </summary>
    public async Task WaitUntilTheFrameFitsAsync()
    {
        await Frame.WaitForFunctionAsync("""
            () => {
              const root = document.documentElement;
              return Math.ceil(root.getBoundingClientRect().height) === window.innerHeight
                && root.scrollHeight <= window.innerHeight && root.scrollWidth <= window.innerWidth;
            }
            """);
        var width = Page.ViewportSize!.Width;
        await ReportChartTests.AssertNoSidewaysScrollAsync(Page, width);
    }
}
