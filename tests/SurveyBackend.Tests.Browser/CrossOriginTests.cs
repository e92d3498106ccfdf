using Microsoft.Playwright;

namespace SurveyBackend.Tests.Browser;

/// <summary>
/// The form page framed by pages of other origins: only the allowed ones may (frame-ancestors). The host pages are
/// served by <see cref="StaticSite"/>; the embed on such a page is tested in <see cref="EmbeddedFormTests"/>.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CrossOriginTests(BrowserFixture fixture)
{
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

    [Fact]
    public async Task AHostilePageOnAnotherSite_CannotPostTheFormOrJson_ThroughItsVisitorsBrowser()
    {
        // The attacker fetches a genuine form token for itself (as any script can), so only the browser's word on
        // where the post came from stands between the hostile page and a stored submission.
        var form = await fixture.Host.Client.GetStringAsync($"api/surveys/{BrowserFixture.SurveyId}/form");
        string Hidden(string name) => System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(form, $"name=\"{name}\" value=\"([^\"]*)\"").Groups[1].Value);
        var submissionId = Hidden("submissionId");
        var action = $"{fixture.BackendOrigin}/api/surveys/{BrowserFixture.SurveyId}/form";
        var jsonId = Guid.NewGuid().ToString();
        var originBefore = await OriginRefusalsAsync();
        var hostile = fixture.Hostile.Serve("/win-a-prize", $$"""
            <!doctype html><html lang="en"><title>Win a prize</title>
            <form id="f" method="post" action="{{action}}">
              <input name="submissionId" value="{{submissionId}}"><input name="formToken" value="{{Hidden("formToken")}}">
              <input name="answers.organisationType" value="county"><input name="answers.region" value="wales">
              <input name="answers.role" value="digital"><input name="answers.channels" value="twitter">
              <input name="answers.maturity" value="engage"><input name="answers.customerService" value="process">
              <input name="answers.teamSize" value="1-2"><input name="answers.challenge" value="skills">
              <input name="respondent.email" value="victim@example.org"><input name="respondent.wantsReport" value="true">
            </form>
            <script src="/go.js"></script></html>
            """, "default-src 'none'; script-src 'self'; form-action *; connect-src *");
        // The page's script: a "simple" JSON-ish post no CORS preflight stops, then the form auto-submits.
        fixture.Hostile.Serve("/go.js", $$"""
            fetch('{{fixture.BackendOrigin}}/api/surveys/{{BrowserFixture.SurveyId}}/responses', { method: 'POST', mode: 'no-cors',
              headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ submissionId: '{{jsonId}}', answers: {} }) })
              .finally(() => document.getElementById('f').submit());
            """, "default-src 'none'", contentType: "text/javascript");

        var page = await fixture.NewPageAsync(bypassCsp: true);
        var landed = page.WaitForResponseAsync(r => r.Url == action);
        await page.GotoAsync(hostile);
        var answer = await landed;

        Assert.Equal(403, answer.Status);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Your answers were not sent");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("another website");
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
        foreach (var width in new[] { 1280, 375 })
        {
            await page.SetViewportSizeAsync(width, 700);
            await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "artifacts", $"form-cross-site-refused-{width}.png"), FullPage = true });
        }
        Assert.False(await fixture.IsStoredAsync(submissionId));
        Assert.False(await fixture.IsStoredAsync(jsonId));
        // Both posts reached the backend and were refused as from another site (the JSON one before its media type).
        Assert.Equal(originBefore + 2, await OriginRefusalsAsync());
    }

    private async Task<long> OriginRefusalsAsync()
    {
        var hours = System.Text.Json.Nodes.JsonNode.Parse(await fixture.Host.Admin.GetStringAsync("api/admin/intake?hours=2"))!["hours"]!.AsArray();
        return hours.Sum(h => (long)h!["refused"]!["origin"]!);
    }
}
