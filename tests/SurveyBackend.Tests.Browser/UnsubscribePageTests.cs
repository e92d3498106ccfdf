using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SurveyBackend.Mailing;
using SurveyBackend.Storage;

namespace SurveyBackend.Tests.Browser;

/// <summary>
/// The unsubscribe link as a person follows it from the email, in its language: a page with one button, reached and
/// pressed from the keyboard, under the page's own CSP; then the page that says the address is unsubscribed and
/// erased. No axe violations on either, nothing wider than the screen, at 375 and 1280 px (screenshots in artifacts/).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class UnsubscribePageTests(BrowserFixture fixture)
{
    [Theory]
    [InlineData("en", 375)]
    [InlineData("en", 1280)]
    [InlineData("cy", 375)]
    [InlineData("cy", 1280)]
    public async Task UnsubscribeLink_ShowsOneButton_PressedByKeyboard_ThenSaysUnsubscribedAndErased_WithoutAxeViolations(string language, int width)
    {
        var email = $"browser-{language}-{width}@example.gov.uk";
        var tokens = fixture.Host.Services.GetRequiredService<UnsubscribeTokens>();
        var url = new Uri(fixture.Host.BaseAddress, $"api/unsubscribe?token={tokens.Create(email)}&lang={language}").ToString();
        var (heading, done) = language == "cy"
            ? ("Dad-danysgrifio o negeseuon e-bost yr adroddiadau", "Rydych wedi dad-danysgrifio")
            : ("Unsubscribe from report emails", "You are unsubscribed");

        // As the person meets it: no script, the page's own CSP.
        var page = await fixture.NewPageAsync(javaScript: false, width: width, height: 800);
        await page.GotoAsync(url);
        Assert.Equal(heading, await page.Locator("h1").InnerTextAsync());
        Assert.Equal(language, await page.GetAttributeAsync("html", "lang"));
        Assert.Equal(1, await page.Locator("button").CountAsync());
        await ReportChartTests.AssertNoSidewaysScrollAsync(page, width);
        var button = await page.Locator("button").BoundingBoxAsync();
        Assert.True(button is not null && button.Y + button.Height <= 800 && button.X + button.Width <= width, "The button is not in the first screen.");
        await page.ScreenshotAsync(new() { Path = ReportChartTests.Artifact($"unsubscribe-{language}-{width}.png"), FullPage = true });
        Assert.DoesNotContain(tokens.AddressKey(email), await SuppressedAsync());

        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("BUTTON", await page.EvaluateAsync<string>("() => document.activeElement.tagName"));
        Assert.NotEqual("none", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));
        await page.ScreenshotAsync(new() { Path = ReportChartTests.Artifact($"unsubscribe-{language}-{width}-focus.png") });
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("h1", new() { HasText = done }).WaitForAsync();

        Assert.Equal(done, await page.Locator("h1").InnerTextAsync());
        Assert.Equal(3, await page.Locator("main p").CountAsync());
        await ReportChartTests.AssertNoSidewaysScrollAsync(page, width);
        await page.ScreenshotAsync(new() { Path = ReportChartTests.Artifact($"unsubscribed-{language}-{width}.png"), FullPage = true });
        Assert.Contains(tokens.AddressKey(email), await SuppressedAsync());

        var axePage = await fixture.NewPageAsync(bypassCsp: true, width: width);
        await axePage.GotoAsync(url);
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(axePage));
        await axePage.Locator("button").ClickAsync();
        await axePage.Locator("h1", new() { HasText = done }).WaitForAsync();
        Assert.Equal(done, await axePage.Locator("h1").InnerTextAsync());
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(axePage));
        await page.Context.CloseAsync();
        await axePage.Context.CloseAsync();
    }

    private Task<HashSet<string>> SuppressedAsync() =>
        fixture.Host.Services.GetRequiredService<UnsubscribeStore>().LoadAllAsync(CancellationToken.None);
}
