using Microsoft.Playwright;

namespace SurveyBackend.Tests.Browser;

/// <summary>The report's comparisons: SVG charts drawn on the server, a table of the same figures for screen readers, no sideways scrolling.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReportChartTests(BrowserFixture fixture)
{
    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task ReportCharts_FitTheWidth_WithoutScript_AndPassAxe(int width)
    {
        var (_, reportId) = await fixture.Published.PublishedAsync();
        var page = await fixture.NewPageAsync(javaScript: false, width: width, height: 900);
        var response = await page.GotoAsync(fixture.Published.ReportUrl(reportId));
        Assert.Equal(200, response!.Status);
        Assert.DoesNotContain("script-src", response.Headers["content-security-policy"], StringComparison.Ordinal);

        // Two segment questions, each with a chart per other question, each chart with its table; and the journey's
        // three (everyone, and by each segment question).
        var charts = page.Locator("figure.compare svg[role='img']");
        Assert.Equal(20 + 3, await charts.CountAsync());
        Assert.Equal(20 + 2, await page.Locator("figure.compare .sr-only table").CountAsync());
        await AssertJourneyAsync(page);
        Assert.Equal(0, await page.Locator("script").CountAsync());
        var firstChart = await charts.First.BoundingBoxAsync();
        Assert.True(firstChart!.Width > 200, $"The chart is {firstChart.Width}px wide.");
        Assert.True(firstChart.X + firstChart.Width <= width, "The chart sticks out of the page.");
        await AssertNoSidewaysScrollAsync(page, width);
        await page.ScreenshotAsync(new() { Path = Artifact($"report-{width}.png"), FullPage = true });
        await page.Locator("#journey").ScreenshotAsync(new() { Path = Artifact($"report-journey-{width}.png") });

        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await AssertNoSidewaysScrollAsync(page, width);
        await page.EmulateMediaAsync(new() { Media = Media.Screen });

        var axePage = await fixture.NewPageAsync(bypassCsp: true, width: width);
        await axePage.GotoAsync(fixture.Published.ReportUrl(reportId));
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(axePage));
        await page.Context.CloseAsync();
        await axePage.Context.CloseAsync();
    }

    /// <summary>The journey section: a stage a row, each figure a share and count or "–" alone, and no average anywhere.</summary>
    private static async Task AssertJourneyAsync(IPage page)
    {
        var journey = page.Locator("section#journey");
        Assert.Equal("Where councils are on the journey", await journey.Locator("h2").InnerTextAsync());
        Assert.Equal(3, await journey.Locator("svg[role='img']").CountAsync());
        Assert.Equal(["Broadcasting", "Engaging", "Resolving requests", "Embedded in customer service"],
            await journey.Locator("table.journey-table tbody th").AllInnerTextsAsync());
        var cells = await journey.Locator("table tbody td").AllInnerTextsAsync();
        Assert.All(cells, cell => Assert.Matches(@"^(\d+(\.\d)?% \(\d+\)|–)$", cell));
        Assert.Contains(cells, cell => cell != "–");
        var words = await journey.InnerTextAsync();
        Assert.DoesNotContain("average", words, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("fewer than", words, StringComparison.OrdinalIgnoreCase);
    }

    internal static async Task AssertNoSidewaysScrollAsync(IPage page, int width)
    {
        var scrollWidth = await page.EvaluateAsync<int>("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)");
        Assert.True(scrollWidth <= width, $"The page is {scrollWidth}px wide in a {width}px window.");
    }

    internal static string Artifact(string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, name);
    }
}
