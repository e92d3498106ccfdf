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
}
