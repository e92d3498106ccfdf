using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SurveyBackend.Journey;
using SurveyBackend.Languages;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Browser;

/// <summary>
/// The journey on both thank-you screens (#28 §2): the respondent's stage, score, next steps and sub-indexes, and where
/// their peers are from the latest public release (its "journey.stage" as counting scored it, over respondents at every
/// stage: PublishedSurveys.JourneyedAsync), in the frame on another origin and on the form page with and without JavaScript, in English
/// and Welsh; and its print: one A4 page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class JourneyScreenTests(BrowserFixture fixture)
{
    // A4 in PDF points (1/72 in): 210 × 297 mm.
    private const double A4Width = 595.28, A4Height = 841.89;

    [Fact]
    public async Task Embed_ShowsTheStageTheNextStepsAndThePeers_AndTheKeyboardReachesThePrintButton()
    {
        var surveyId = await fixture.Published.JourneyedAsync();
        var embed = await EmbeddedSurvey.OpenAsync(fixture, surveyId, bypassCsp: true, width: 1280);
        await embed.Survey.FillAllAsync();
        var after = new List<IRequest>();
        embed.Page.Request += (_, r) => after.Add(r);
        await embed.Survey.Submit.ClickAsync();
        await Assertions.Expect(embed.Frame.Locator("#journey .sv-journey-peers")).ToBeVisibleAsync();
        await Assertions.Expect(embed.Frame.Locator(".sv-compare-table").First).ToBeVisibleAsync();
        // The answers go once, in the POST; the journey and the comparison come from the same two GETs, with no body.
        Assert.Equal(["POST", "GET", "GET"], after.Select(r => r.Method));
        Assert.Equal([$"/api/surveys/{surveyId}/benchmark", $"/api/surveys/{surveyId}"], after.Skip(1).Select(r => new Uri(r.Url).AbsolutePath));
        Assert.All(after.Skip(1), r => Assert.Null(r.PostData));
        await AssertJourneyAsync(embed.Frame, surveyId, UiText.English);

        // The print button, from the thank-you's focus by Tab alone, prints (window.print, stood in for here) on Enter.
        await embed.Frame.EvaluateAsync("() => { window.__printed = 0; window.print = () => { window.__printed++; }; }");
        await embed.Survey.TabToAsync("sv-print");
        await Assertions.Expect(embed.Frame.Locator(".sv-print")).ToHaveTextAsync("Print your council’s journey");
        await embed.Page.Keyboard.PressAsync("Enter");
        Assert.Equal(1, await embed.Frame.EvaluateAsync<int>("() => window.__printed"));

        Assert.Empty(await BrowserFixture.AxeViolationsAsync(embed.Frame));
        Assert.Empty(embed.ConsoleErrors);
        foreach (var width in new[] { 1280, 375 })
        {
            await embed.Page.SetViewportSizeAsync(width, 900);
            await embed.WaitUntilTheFrameFitsAsync();
            await embed.Page.ScreenshotAsync(new() { Path = ReportChartTests.Artifact($"journey-embed-{width}.png"), FullPage = true });
        }
        await embed.Page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(UiText.English)]
    [InlineData(UiText.Welsh)]
    public async Task FormPage_WithAndWithoutJavaScript_ShowsTheSameJourney_AndPrintsItOnOneA4Page(string language)
    {
        var surveyId = await fixture.Published.JourneyedAsync();
        var pages = new List<IPage>();
        foreach (var javaScript in new[] { true, false })
        {
            var page = await SubmitAsync(surveyId, language, javaScript);
            pages.Add(page);
            await AssertJourneyAsync(page.MainFrame, surveyId, language);
            // With JavaScript a button prints; without, a hint says what printing the page gives.
            Assert.Equal(javaScript ? 1 : 0, await page.Locator("#journey .sv-print").CountAsync());
            Assert.Equal(javaScript ? 0 : 1, await page.Locator("#journey .sv-journey-hint").CountAsync());
            if (language == UiText.Welsh) Assert.Empty(await WelshTests.EnglishOnAsync(page));
            Assert.Empty(javaScript ? await BrowserFixture.AxeViolationsAsync(page) : await AxeOfTheServersPageAsync(page, surveyId));
            await page.ScreenshotAsync(new() { Path = ReportChartTests.Artifact($"journey-form-{(javaScript ? "js" : "no-js")}-{language}-1280.png"), FullPage = true });
            await AssertPrintsOneA4PageAsync(page, $"journey-{(javaScript ? "js" : "no-js")}-{language}.pdf");
        }
        // The server's page from the answers posted, the script's from the answers it held: the same journey.
        Assert.Equal(await JourneyTextAsync(pages[0]), await JourneyTextAsync(pages[1]));
        foreach (var page in pages) await page.Context.CloseAsync();
    }

    private async Task<IPage> SubmitAsync(string surveyId, string language, bool javaScript)
    {
        // bypassCsp only to add axe-core; the no-JS page's axe run needs it too.
        var page = await fixture.NewPageAsync(javaScript: javaScript, bypassCsp: true, width: 1280);
        await page.GotoAsync(fixture.Published.FormUrl(surveyId) + "?lang=" + language);
        if (javaScript) await page.Locator("form[data-enhanced]").WaitForAsync();
        var survey = new SurveyPage(page);
        await survey.FillAllAsync();
        await page.Locator(".sv-submit").ClickAsync();
        await Assertions.Expect(survey.Receipt).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#journey .sv-journey-peers")).ToBeVisibleAsync();
        return page;
    }

    /// <summary>What the respondent of <see cref="SurveyPage.Choices"/> should read: their stage as the C# scorer places them, and the release's shares.</summary>
    private async Task AssertJourneyAsync(IFrame page, string surveyId, string language)
    {
        var text = UiText.For(language);
        var definition = (await fixture.Host.Services.GetRequiredService<SurveyCatalog>().FindAsync(surveyId, CancellationToken.None))!.Definition;
        var answers = SurveyPage.Choices.Select(c => c.Split('-', 2)).GroupBy(p => p[0])
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(p => p[1])]);
        var result = JourneyScore.Of(definition.In(language), answers)!;

        var section = page.Locator("#journey");
        await Assertions.Expect(section).ToHaveAttributeAsync("data-stage", result.Stage.Id);
        await Assertions.Expect(section.Locator(".sv-journey-stage")).ToHaveTextAsync($"{text["journey.stage"]}: {result.Stage.Name}");
        await Assertions.Expect(section.Locator(".sv-journey-score")).ToHaveTextAsync(
            $"{text["journey.score"]}: {text["journey.outOf"].Replace("{score}", result.Score.ToString(CultureInfo.InvariantCulture))}");
        await Assertions.Expect(section.Locator(".sv-journey-about")).ToHaveTextAsync(result.Stage.About);
        await Assertions.Expect(section.Locator(".sv-journey-next")).ToHaveTextAsync(result.Stage.Next);
        string[] indexes = [.. result.Indexes.Select(i => i.Index.Name + "|" + i.Score)];
        Assert.Equal(indexes,
            await section.Locator(".sv-journey-indexes tbody tr").EvaluateAllAsync<string[]>("rs => rs.map(r => r.cells[0].textContent + '|' + r.cells[1].textContent)"));

        // The peers: their organisation type (county) and everyone, at each stage, as the release has them; "–" when hidden.
        var release = JsonDocument.Parse(await (await fixture.Host.Client.GetAsync($"api/surveys/{surveyId}/benchmark")).Content.ReadAsStringAsync()).RootElement;
        var everyone = StageQuestion(release.GetProperty("questions"));
        var county = release.GetProperty("segments").EnumerateArray()
            .First(s => s.GetProperty("questionId").GetString() == "organisationType" && s.GetProperty("optionId").GetString() == "county");
        var countyStages = county.TryGetProperty("questions", out var qs) ? StageQuestion(qs) : (JsonElement?)null;
        var countyName = definition.In(language).FindQuestion("organisationType")!.Options.First(o => o.Id == "county").Text;
        string[] heads = [text["journey.stageColumn"], countyName, text["journey.everyone"]];
        Assert.Equal(heads, await section.Locator(".sv-journey-peers thead th").AllInnerTextsAsync());
        var expected = definition.In(language).Journey!.Stages.Select(s =>
            $"{s.Name}{(s.Id == result.Stage.Id ? " " + text["journey.yours"] : "")}|{Share(countyStages, s.Id)}|{Share(everyone, s.Id)}");
        Assert.Equal(expected, await section.Locator(".sv-journey-peers tbody tr").EvaluateAllAsync<string[]>(
            "rs => rs.map(r => [...r.cells].map(c => c.textContent).join('|'))"));
        var cells = await section.Locator(".sv-journey-peers td").AllInnerTextsAsync();
        Assert.Contains(cells, c => c != "–");
        Assert.Equal(cells.Contains("–"), await section.Locator(".sv-journey-note").CountAsync() == 1);
    }

    private static JsonElement StageQuestion(JsonElement questions) =>
        questions.EnumerateArray().First(q => q.GetProperty("id").GetString() == "journey.stage");

    private static string Share(JsonElement? question, string stageId)
    {
        if (question is not { } q || q.TryGetProperty("suppressed", out var s) && s.GetBoolean() || q.GetProperty("answered").ValueKind == JsonValueKind.Null) return "–";
        var option = q.GetProperty("options").EnumerateArray().First(o => o.GetProperty("id").GetString() == stageId);
        return option.GetProperty("share") is { ValueKind: JsonValueKind.Number } share
            ? (Math.Round(share.GetDouble() * 100, 1, MidpointRounding.AwayFromZero)).ToString("0.#", CultureInfo.InvariantCulture) + "%"
            : "–";
    }

    /// <summary>In print, only the journey shows (no thank-you, no comparison, no button), and the PDF is one A4 page.</summary>
    private static async Task AssertPrintsOneA4PageAsync(IPage page, string artifact)
    {
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(page.Locator(".sv-journey-next")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".sv-journey-peers")).ToBeVisibleAsync();
        foreach (var hidden in new[] { ".sv-done", ".sv-compare", ".sv-print", ".sv-journey-hint" })
            Assert.False(await page.Locator(hidden).IsVisibleAsync(), $"{hidden} shows in print.");
        // Back to no emulation: pdf() prints with print media unless screen media is emulated.
        await page.EmulateMediaAsync(new() { Media = Media.Null });

        // The page's own @page size decides (not a size given here): a missing "size: A4" would print US Letter.
        var pdf = await page.PdfAsync(new() { PreferCSSPageSize = true, PrintBackground = true, Path = ReportChartTests.Artifact(artifact) });
        var raw = Encoding.Latin1.GetString(pdf);
        Assert.Equal(1, PdfPage().Count(raw));
        var boxes = MediaBox().Matches(raw);
        Assert.NotEmpty(boxes);
        foreach (Match box in boxes)
        {
            var (width, height) = (double.Parse(box.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(box.Groups[2].Value, CultureInfo.InvariantCulture));
            Assert.True(Math.Abs(width - A4Width) < 1.5 && Math.Abs(height - A4Height) < 1.5, $"The page is {width} × {height} pt, not A4.");
        }
    }

    /// <summary>axe needs script, which the no-JS page has off: the same page, as the server sent it, in a page with script on.</summary>
    private async Task<IReadOnlyList<string>> AxeOfTheServersPageAsync(IPage page, string surveyId)
    {
        var html = await page.ContentAsync();
        var checker = await fixture.NewPageAsync(bypassCsp: true, width: 1280);
        await checker.GotoAsync(fixture.Published.FormUrl(surveyId));
        await checker.SetContentAsync(html);
        await Assertions.Expect(checker.Locator("#journey .sv-journey-hint")).ToBeVisibleAsync();
        var violations = await BrowserFixture.AxeViolationsAsync(checker);
        await checker.Context.CloseAsync();
        return violations;
    }

    private static Task<string> JourneyTextAsync(IPage page) => page.Locator("#journey").EvaluateAsync<string>(
        "s => [...s.querySelectorAll('h2, h3, .sv-journey-stage, .sv-journey-score, .sv-journey-about, .sv-journey-next, .sv-journey-intro, caption, th, td, .sv-journey-note, .sv-journey-private')].map(e => e.textContent).join('\\n')");

    [GeneratedRegex(@"/Type\s*/Page(?![a-zA-Z])")]
    private static partial Regex PdfPage();

    [GeneratedRegex(@"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")]
    private static partial Regex MediaBox();
}
