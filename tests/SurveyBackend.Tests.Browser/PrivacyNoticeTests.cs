using Microsoft.Playwright;
using SurveyBackend.Form;

namespace SurveyBackend.Tests.Browser;

/// <summary>
/// The privacy notice (issue #26 §1) as a respondent meets it, inside the embed's frame on a host page of another
/// origin: the short notice under the email field, the full one opened by keyboard in place, answers kept, the frame
/// grown to fit it, and its links opening a new tab rather than replacing the form.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PrivacyNoticeTests(BrowserFixture fixture)
{
    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task TheNotice_IsBesideTheEmailField_AndOpensByKeyboardInsideTheFrame_KeepingTheAnswers(int width)
    {
        var embed = await EmbeddedSurvey.OpenAsync(fixture, bypassCsp: true, width: width);
        var survey = embed.Survey;
        var page = embed.Page;
        await survey.ChooseAsync("organisationType-county", "channels-twitter");
        await survey.Locator("#sv-email").FillAsync("jo@example.gov.uk");

        var brief = survey.Locator("#sv-privacy-short");
        await Assertions.Expect(brief).ToBeVisibleAsync();
        await Assertions.Expect(brief).ToContainTextAsync("Your address is held by Example Research Ltd, with your consent");
        await Assertions.Expect(brief.Locator("a[href='mailto:privacy@example.org']")).ToHaveTextAsync("privacy@example.org");
        Assert.Contains("sv-privacy-short", await survey.Locator("#sv-email").GetAttributeAsync("aria-describedby"));
        var details = survey.Locator("details.sv-privacy");
        var body = details.Locator(".sv-privacy-body");
        await Assertions.Expect(body).ToBeHiddenAsync();

        // By keyboard from the email field: the contact link, then the notice's summary; Enter opens it in place.
        await survey.Locator("#sv-email").FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("sv-privacy-summary", await survey.FocusedIdAsync());
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(body).ToBeVisibleAsync();
        Assert.True(await details.EvaluateAsync<bool>("d => d.open"));
        await Assertions.Expect(body).ToContainTextAsync("Lawful basis. Your consent (UK GDPR Article 6(1)(a))");
        await Assertions.Expect(body).ToContainTextAsync("complain to the Information Commissioner’s Office (ICO)");
        // How long it is kept: the retention rule's own words, with the periods from the settings (the sample closes).
        await Assertions.Expect(body).ToContainTextAsync("How long it is kept. It is deleted 30 days after the survey’s final report has been emailed, and in any case no later than 12 months after the survey closes. If you unsubscribe, it is deleted at once.");
        // Tab goes on into the open notice: its links are in the tab order.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("sv-link", await survey.FocusedIdAsync());

        // The frame grew to fit the open notice (no inner scroll bar), and nothing else changed: same page, same answers.
        await embed.WaitUntilTheFrameFitsAsync();
        Assert.True(await survey.Locator("#sv-q-organisationType-county").IsCheckedAsync());
        Assert.Equal("jo@example.gov.uk", await survey.Locator("#sv-email").InputValueAsync());
        Assert.Single(embed.FrameUrls);
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(embed.Frame));
        await details.ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new() { Path = ReportChartTests.Artifact($"privacy-notice-{width}.png"), FullPage = true });

        // The ICO's page opens in a new tab; the frame keeps the form and its answers.
        await page.Context.RouteAsync(PrivacyNotice.IcoComplaintUrl, route => route.FulfillAsync(new() { ContentType = "text/html", Body = "<title>ICO</title>" }));
        var opened = page.Context.WaitForPageAsync();
        await body.Locator($"a[href='{PrivacyNotice.IcoComplaintUrl}']").ClickAsync();
        var tab = await opened;
        await tab.WaitForLoadStateAsync();
        Assert.Equal(PrivacyNotice.IcoComplaintUrl, tab.Url);
        Assert.True(await survey.Locator("#sv-q-channels-twitter").IsCheckedAsync());
        Assert.Single(embed.FrameUrls);

        // Closed again by keyboard, and the frame shrinks back to fit.
        await survey.Locator(".sv-privacy-summary").FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(body).ToBeHiddenAsync();
        await embed.WaitUntilTheFrameFitsAsync();
        Assert.True(embed.ConsoleErrors.Count == 0, string.Join('\n', embed.ConsoleErrors));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task WithJavaScriptOff_TheNoticeOpensByKeyboardToo()
    {
        var embed = await EmbeddedSurvey.OpenAsync(fixture, javaScript: false, width: 375);
        var survey = embed.Survey;
        var page = embed.Page;
        await survey.ChooseAsync("organisationType-county");
        var body = survey.Locator("details.sv-privacy .sv-privacy-body");
        await Assertions.Expect(body).ToBeHiddenAsync();

        await page.Locator("a").FocusAsync();
        await survey.TabToAsync("sv-privacy-summary", 120);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(body).ToBeVisibleAsync();
        await Assertions.Expect(body).ToContainTextAsync("The data controller for your address is Example Research Ltd. Contact: privacy@example.org.");
        Assert.True(await survey.Locator("#sv-q-organisationType-county").IsCheckedAsync());
        Assert.Single(embed.FrameUrls);
        await body.ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new() { Path = ReportChartTests.Artifact("privacy-notice-no-js-375.png"), FullPage = true });
        await page.Context.CloseAsync();
    }
}
