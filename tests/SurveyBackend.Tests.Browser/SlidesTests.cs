using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace SurveyBackend.Tests.Browser;

/// <summary>The slides: one slide at a time from the keyboard, under their own strict CSP, offline once loaded, one slide a printed page.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class SlidesTests(BrowserFixture fixture)
{
    // Title, how to read this, and the sample survey's 11 questions.
    private const int SlideCount = 14;

    [Fact]
    public async Task Keyboard_MovesOneSlideAtATime_UnderTheStrictPolicy_AndPassesAxe()
    {
        var (_, reportId) = await fixture.Published.PublishedAsync();
        var page = await fixture.NewPageAsync(width: 1280, height: 720);
        var refused = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") refused.Add(m.Text); };
        var response = await page.GotoAsync(fixture.Published.SlidesUrl(reportId));
        var policy = response!.Headers["content-security-policy"];
        Assert.Matches("script-src 'sha256-[^' ]+';", policy);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("http", policy, StringComparison.Ordinal);

        var visible = page.Locator("section.slide:visible");
        await Assertions.Expect(page.Locator("#where")).ToHaveTextAsync($"Slide 1 of {SlideCount}");
        Assert.Equal(1, await visible.CountAsync());
        Assert.Equal(SlideCount, await page.Locator("section.slide").CountAsync());

        async Task At(int number, string key)
        {
            await page.Keyboard.PressAsync(key);
            await Assertions.Expect(page.Locator("#where")).ToContainTextAsync($"Slide {number} of {SlideCount}");
            Assert.Equal(1, await visible.CountAsync());
            Assert.Equal($"{number} of {SlideCount}", await visible.GetAttributeAsync("aria-label"));
        }
        await At(2, "ArrowRight");
        await Assertions.Expect(visible.GetByRole(AriaRole.Heading, new() { Name = "How to read this" })).ToBeVisibleAsync();
        await At(3, "Space");
        // The journey's slide comes before the questions: the share of councils at each stage.
        await Assertions.Expect(visible.Locator("h2")).ToHaveTextAsync("Where councils are on the journey");
        Assert.Equal(1, await visible.Locator(".chart svg[role='img']").CountAsync());
        await page.ScreenshotAsync(new() { Path = ReportChartTests.Artifact("slides-journey-1280.png") });
        await At(4, "PageDown");
        await At(5, "ArrowDown");
        await At(4, "PageUp");
        await At(3, "ArrowLeft");
        await At(SlideCount, "End");
        await At(SlideCount, "ArrowRight");
        await At(1, "Home");
        await At(1, "ArrowLeft");
        await At(SlideCount, "End");
        for (var n = SlideCount - 1; n >= 8; n--) await At(n, "ArrowLeft");
        // A question slide: its question, a chart, n, the release and its date.
        await Assertions.Expect(visible.Locator("h2")).ToHaveTextAsync("Which statement best describes how your organisation uses social media today?");
        Assert.Equal(1, await visible.Locator(".chart svg[role='img']").CountAsync());
        await Assertions.Expect(visible.Locator(".meta")).ToContainTextAsync(new Regex(@"n = [\d,]+ answered · Release 1, made \d{1,2} \w+ 20\d\d\."));
        await page.ScreenshotAsync(new() { Path = ReportChartTests.Artifact("slides-question-1280.png") });
        Assert.Empty(refused);

        var axePage = await fixture.NewPageAsync(bypassCsp: true, width: 1280, height: 720);
        await axePage.GotoAsync(fixture.Published.SlidesUrl(reportId) + "#q-maturity");
        await Assertions.Expect(axePage.Locator("#where")).ToHaveTextAsync($"Slide 8 of {SlideCount}");
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(axePage));
        await page.Context.CloseAsync();
        await axePage.Context.CloseAsync();
    }

    [Fact]
    public async Task OnceLoaded_WorksOffline_AndEachChartDownloadsAsAnSvgFile()
    {
        var (_, reportId) = await fixture.Published.PublishedAsync();
        var page = await fixture.NewPageAsync(width: 1280, height: 720);
        await page.GotoAsync(fixture.Published.SlidesUrl(reportId) + "#q-teamSize");
        await page.Context.SetOfflineAsync(true);

        await page.Keyboard.PressAsync("ArrowLeft");
        await Assertions.Expect(page.Locator("#where")).ToContainTextAsync($"Slide 10 of {SlideCount}");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("section.slide:visible a[data-chart]").ClickAsync());
        Assert.Equal("insightUse.svg", download.SuggestedFilename);
        var svg = await File.ReadAllTextAsync((await download.PathAsync())!, Encoding.UTF8);
        Assert.StartsWith("<?xml", svg, StringComparison.Ordinal);
        Assert.Contains("xmlns=\"http://www.w3.org/2000/svg\"", svg, StringComparison.Ordinal);
        Assert.Contains("How do you use the data and insight from social media?", svg, StringComparison.Ordinal);
        Assert.Contains("Release 1, made", svg, StringComparison.Ordinal);
        await page.Context.SetOfflineAsync(false);

        // Without the script, the link is the server's copy of the same file.
        using var served = await fixture.Host.Client.GetAsync($"api/reports/{reportId}/charts/insightUse.svg");
        Assert.Equal("image/svg+xml", served.Content.Headers.ContentType!.MediaType);
        // The same SVG; the browser writes empty elements out as <rect ...></rect>, and characters rather than references.
        Assert.Equal(System.Net.WebUtility.HtmlDecode(EmptyElement().Replace(svg, "<$1$2/>").Trim()),
            System.Net.WebUtility.HtmlDecode((await served.Content.ReadAsStringAsync()).Trim()));
        using var missing = await fixture.Host.Client.GetAsync($"api/reports/{reportId}/charts/nothing.svg");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Printed_EverySlideIsShown_OneSlideAPage()
    {
        var (_, reportId) = await fixture.Published.PublishedAsync();
        var page = await fixture.NewPageAsync(width: 1280, height: 720);
        await page.GotoAsync(fixture.Published.SlidesUrl(reportId));
        await page.EmulateMediaAsync(new() { Media = Media.Print });

        Assert.Equal(SlideCount, await page.Locator("section.slide:visible").CountAsync());
        Assert.False(await page.Locator("nav.controls").IsVisibleAsync());
        var breaks = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('section.slide')].map(s => getComputedStyle(s).breakAfter)");
        Assert.All(breaks[..^1], b => Assert.Equal("page", b));

        var pdf = await page.PdfAsync(new() { Landscape = true, Format = "A4", PreferCSSPageSize = true, PrintBackground = true });
        await File.WriteAllBytesAsync(ReportChartTests.Artifact("slides.pdf"), pdf);
        Assert.Equal(SlideCount, PageObject().Matches(Encoding.Latin1.GetString(pdf)).Count);
        await page.Context.CloseAsync();
    }

    [GeneratedRegex(@"<(\w+)([^<>]*)></\1>")]
    private static partial Regex EmptyElement();

    [GeneratedRegex(@"/Type\s*/Page[^s]")]
    private static partial Regex PageObject();
}
