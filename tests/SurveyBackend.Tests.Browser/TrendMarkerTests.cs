using Microsoft.Playwright;

namespace SurveyBackend.Tests.Browser;

/// <summary>
/// The change since the previous wave in a browser: on the report, a marker on each bar at the previous wave's share
/// (inside its bar, visible at 1280 and 375 px), then/now/change tables for the comparable questions and a note for
/// the one that is not; on the slides, the "what changed" slide and the markers, reached from the keyboard. Axe on both.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TrendMarkerTests(BrowserFixture fixture)
{
    // The sample's 11 questions, of which successMeasures was not asked in 2016.
    private const int ComparableQuestions = 10;

    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task Report_DrawsThePreviousShareOnEachBar_WithTablesOfThenNowAndChange_AndPassesAxe(int width)
    {
        var (_, reportId) = await fixture.Published.TwoWavesAsync();
        var page = await fixture.NewPageAsync(javaScript: false, width: width, height: 900);
        var response = await page.GotoAsync(fixture.Published.ReportUrl(reportId));
        Assert.Equal(200, response!.Status);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "What changed since the previous wave" })).ToBeVisibleAsync();
        Assert.Equal(ComparableQuestions, await page.Locator("table.trend").CountAsync());
        await Assertions.Expect(page.GetByText("Not comparable with the previous wave: Not asked in the previous wave.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("compared because the survey marks the two as the same question").First).ToBeVisibleAsync();
        Assert.True(await page.Locator("ol.changes li").CountAsync() > 0, "the summary ranks some changes");

        // Each marker sits on its own bar, at its share of the bar's width, and is drawn (not a zero-size box).
        var markers = page.Locator("span.was");
        var count = await markers.CountAsync();
        Assert.True(count > 30, $"only {count} markers");
        for (var i = 0; i < count; i += 7)
        {
            var marker = markers.Nth(i);
            var box = (await marker.BoundingBoxAsync())!;
            var track = (await marker.Locator("xpath=following-sibling::table").BoundingBoxAsync())!;
            var share = double.Parse((await marker.GetAttributeAsync("data-share"))!.TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture) / 100;
            Assert.True(box.Width >= 2.5 && box.Height > track.Height, $"marker {i} is {box.Width}×{box.Height}");
            var centre = box.X + box.Width / 2;
            Assert.InRange(centre, track.X + share * track.Width - 2, track.X + share * track.Width + 2);
        }
        await ReportChartTests.AssertNoSidewaysScrollAsync(page, width);
        await page.ScreenshotAsync(new() { Path = ReportChartTests.Artifact($"report-trends-{width}.png"), FullPage = true });
        await page.Locator("section[aria-labelledby='changes']").ScreenshotAsync(new() { Path = ReportChartTests.Artifact($"report-trends-summary-{width}.png") });
        var firstChart = page.Locator("table.chart").First;
        await firstChart.ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new() { Path = ReportChartTests.Artifact($"report-trends-bars-{width}.png") });

        // From the keyboard: the first Tab reaches the first link, with its focus ring.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("A", await page.EvaluateAsync<string>("() => document.activeElement.tagName"));
        Assert.NotEqual("none", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));

        var axePage = await fixture.NewPageAsync(bypassCsp: true, width: width);
        await axePage.GotoAsync(fixture.Published.ReportUrl(reportId));
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(axePage));
        await page.Context.CloseAsync();
        await axePage.Context.CloseAsync();
    }

    [Fact]
    public async Task Slides_ReachTheChangesAndTheMarkers_FromTheKeyboard_AndPassAxe()
    {
        var (_, reportId) = await fixture.Published.TwoWavesAsync();
        var page = await fixture.NewPageAsync(width: 1280, height: 720);
        await page.GotoAsync(fixture.Published.SlidesUrl(reportId));
        var visible = page.Locator("section.slide:visible");

        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(visible.Locator("li").Last).ToContainTextAsync("shown only where both shares are shown.");
        await page.ScreenshotAsync(new() { Path = ReportChartTests.Artifact("slides-trends-how-1280.png") });
        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(visible.Locator("h2")).ToHaveTextAsync("What changed since the previous wave");
        Assert.True(await visible.Locator("ol li").CountAsync() > 0);
        await page.ScreenshotAsync(new() { Path = ReportChartTests.Artifact("slides-trends-changes-1280.png") });

        // The journey's slide: the 2016 wave had no journey, and the slide says so.
        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(visible).ToHaveAttributeAsync("id", "journey");
        await Assertions.Expect(visible.Locator(".meta")).ToContainTextAsync("The previous wave had no journey scored the same way.");
        // The reworded question (maturity, the fifth question): markers drawn, the note says why it compares.
        for (var i = 0; i < 5; i++) await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(visible).ToHaveAttributeAsync("id", "q-maturity");
        Assert.Equal(4, await visible.Locator(".chart svg rect.was").CountAsync());
        await Assertions.Expect(visible.Locator(".meta")).ToContainTextAsync("The black line across each bar marks the share in the previous wave.");
        await page.ScreenshotAsync(new() { Path = ReportChartTests.Artifact("slides-trends-question-1280.png") });

        var axePage = await fixture.NewPageAsync(bypassCsp: true, width: 1280, height: 720);
        await axePage.GotoAsync(fixture.Published.SlidesUrl(reportId) + "#changes");
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(axePage));
        await axePage.GotoAsync(fixture.Published.SlidesUrl(reportId) + "#q-maturity");
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(axePage));
        await page.Context.CloseAsync();
        await axePage.Context.CloseAsync();
    }
}
