using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SurveyBackend.Mailing;
using SurveyBackend.Reports;

namespace SurveyBackend.Tests.Browser;

/// <summary>
/// The report email as a reader's mail client shows it (no script): the link to the full report in the first screen,
/// nothing wider than a phone, and no axe violations, in each language variant the mailer sends.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReportEmailTests(BrowserFixture fixture)
{
    [Theory]
    [InlineData("en", 375)]
    [InlineData("cy", 375)]
    [InlineData("both", 375)]
    [InlineData("both", 1280)]
    public async Task ReportEmail_LeadsWithTheReportLink_FitsTheWidth_AndPassesAxe(string variant, int width)
    {
        // The report with a previous wave, in Welsh and English: the largest email the sample makes.
        var (_, reportId) = await fixture.Published.TwoWavesAsync();
        var report = await fixture.Host.Services.GetRequiredService<ReportPublisher>().FindPublicAsync(reportId, CancellationToken.None);
        Assert.NotNull(report);
        var email = fixture.Host.Services.GetRequiredService<ReportEmailComposer>().Content(report, variant == "both" ? null : variant);
        Assert.True(Encoding.UTF8.GetByteCount(email.Html) <= ReportEmailRenderer.EmailHtmlBudget);
        var html = email.Html.Replace(ReportEmailRenderer.UnsubscribePlaceholder, "https://reports.example.org/api/unsubscribe?token=t", StringComparison.Ordinal);

        const int screen = 800;
        var page = await fixture.NewPageAsync(javaScript: false, width: width, height: screen);
        await page.SetContentAsync(html);
        var button = await page.Locator("a.full-report").First.BoundingBoxAsync();
        Assert.NotNull(button);
        Assert.True(button.Y + button.Height <= screen, $"The report link ends at {button.Y + button.Height}px, below the first {screen}px.");
        Assert.True(button.X + button.Width <= width, "The report link sticks out of the screen.");
        Assert.Equal(variant == "both" ? 2 : 1, await page.Locator("a.full-report").CountAsync());
        Assert.Equal(0, await page.Locator("svg").CountAsync());
        await ReportChartTests.AssertNoSidewaysScrollAsync(page, width);
        await page.ScreenshotAsync(new() { Path = ReportChartTests.Artifact($"email-{variant}-{width}.png"), FullPage = true });

        var axePage = await fixture.NewPageAsync(width: width);
        await axePage.SetContentAsync(html);
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(axePage));
        await page.Context.CloseAsync();
        await axePage.Context.CloseAsync();
    }
}
