using Microsoft.Playwright;

namespace SurveyBackend.Tests.Browser;

/// <summary>
/// The survey on a page of another origin, as on the real community site: CORS, the host's own strict CSP and
/// frame-ancestors all in play. The host pages are served by <see cref="StaticSite"/>.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CrossOriginTests(BrowserFixture fixture)
{
    [Fact]
    public async Task HostOnAnotherOriginWithAStrictCsp_EmbedsTheSurvey_AndSends()
    {
        var page = await fixture.NewPageAsync();
        var backend = fixture.BackendOrigin;
        // Nothing inline is allowed at all, not even styles: the form's constructed stylesheet still applies.
        var url = fixture.Community.Serve("/have-your-say", $"""
            <!doctype html><html lang="en"><title>Community</title><h1>Have your say</h1>
            <div data-survey="{BrowserFixture.SurveyId}"></div>
            <script src="{backend}/api/embed.js" async></script></html>
            """, $"default-src 'none'; script-src {backend}; connect-src {backend}; style-src 'none'");
        var violations = new List<string>();
        // The thank-you asks for the survey's public release; this survey has none, so that one answer is a 404.
        page.Console += (_, m) => { if (m.Type == "error" && !(m.Text.Contains("404", StringComparison.Ordinal) && m.Location.Contains("/benchmark", StringComparison.Ordinal))) violations.Add(m.Text); };

        await page.GotoAsync(url);
        var survey = new SurveyPage(page);
        await survey.FillAllAsync();
        Assert.True((await page.Locator("#sv-website").BoundingBoxAsync())!.X < 0, "the form's own styles apply (the honeypot is off-screen)");
        await survey.Submit.ClickAsync();

        await Assertions.Expect(survey.Receipt).ToBeVisibleAsync();
        Assert.True(await fixture.IsStoredAsync(await survey.Receipt.InnerTextAsync()));
        await Assertions.Expect(page.Locator(".sv-compare-none")).ToHaveTextAsync("The first results will appear here once published.");
        Assert.Empty(violations);
    }

    [Fact]
    public async Task FormPage_FramedByAnAllowedOrigin_Shows_AndByAnyOther_IsRefused()
    {
        var formUrl = fixture.FormUrl;
        var frameHtml = $"""<!doctype html><html lang="en"><title>Frame</title><iframe src="{formUrl}" title="Survey"></iframe></html>""";

        var allowed = await fixture.NewPageAsync();
        await allowed.GotoAsync(fixture.Community.Serve("/framed", frameHtml, $"frame-src {fixture.BackendOrigin}"));
        await Assertions.Expect(allowed.FrameLocator("iframe").Locator("form.sv-form")).ToBeVisibleAsync();

        var stranger = await fixture.NewPageAsync();
        var strangerUrl = fixture.Stranger.Serve("/framed", frameHtml, $"frame-src {fixture.BackendOrigin}");
        var refused = stranger.WaitForConsoleMessageAsync(new() { Predicate = m => m.Text.Contains("frame-ancestors", StringComparison.Ordinal) });
        await stranger.GotoAsync(strangerUrl);
        await refused;
        Assert.Equal(0, await stranger.FrameLocator("iframe").Locator("form").CountAsync());
    }
}
