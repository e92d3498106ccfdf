using System.Text.Json;
using Microsoft.Playwright;

namespace SurveyBackend.Tests.Browser;

/// <summary>
/// "How you compare" on both thank-you screens: the respondent's answers beside the latest public release, worked out
/// in the browser (no request carries the answers again), or on the server from the submission when JavaScript is off.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HowYouCompareTests(BrowserFixture fixture)
{
    private const string NoRelease = "The first results will appear here once published.";

    [Fact]
    public async Task Embed_ShowsHowYouCompareInTheFrame_FromTheRelease_AndNoRequestCarriesTheAnswersAgain()
    {
        var (surveyId, _) = await fixture.Published.PublishedAsync();
        var embed = await EmbeddedSurvey.OpenAsync(fixture, surveyId, bypassCsp: true, width: 375);
        var page = embed.Page;
        var backend = fixture.BackendOrigin;
        await embed.Survey.FillAllAsync();

        var after = new List<IRequest>();
        var submitted = false;
        page.Request += (_, r) => { if (submitted) after.Add(r); };
        submitted = true;
        await embed.Survey.Submit.ClickAsync();
        await Assertions.Expect(embed.Frame.Locator(".sv-compare-table").First).ToBeVisibleAsync();
        // The journey (put in whole once the two GETs are in) is worked out from them: nothing more is asked for it.
        // JourneyScreenTests checks the same with the peers' figures shown.
        await Assertions.Expect(embed.Frame.Locator("#journey .sv-journey-stage")).ToBeVisibleAsync();

        // One POST (the answers, once), then only the release and the survey's wording: GETs with no body and no answer.
        var post = Assert.Single(after, r => r.Method == "POST");
        Assert.EndsWith("/responses", post.Url, StringComparison.Ordinal);
        var others = after.Where(r => r != post).ToList();
        Assert.Equal([$"{backend}/api/surveys/{surveyId}/benchmark", $"{backend}/api/surveys/{surveyId}?lang=en"], others.Select(r => r.Url));
        Assert.All(others, r => Assert.Equal("GET", r.Method));
        Assert.All(others, r => Assert.Null(r.PostData));
        foreach (var request in others)
        {
            var headers = string.Join('\n', (await request.AllHeadersAsync()).Select(h => h.Key + ": " + h.Value));
            foreach (var answer in new[] { "county", "london", "engage", "process", "1-2", "jo@example" })
                Assert.DoesNotContain(answer, request.Url + headers, StringComparison.Ordinal);
        }

        await AssertHowYouCompareAsync(embed.Frame);
        await embed.WaitUntilTheFrameFitsAsync();
        await page.ScreenshotAsync(new() { Path = ReportChartTests.Artifact("compare-embed-375.png"), FullPage = true });
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(embed.Frame));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task FormPage_WithAndWithoutJavaScript_ShowsTheSameHowYouCompare()
    {
        var (surveyId, _) = await fixture.Published.PublishedAsync();
        var withScript = await SubmitFormAsync(surveyId, javaScript: true);
        var withoutScript = await SubmitFormAsync(surveyId, javaScript: false);

        // The server's page from the submission it received, the script's from the answers it held: the same figures.
        Assert.Equal(await TablesAsync(withScript), await TablesAsync(withoutScript));
        await AssertHowYouCompareAsync(withoutScript.MainFrame);
        await withoutScript.ScreenshotAsync(new() { Path = ReportChartTests.Artifact("compare-form-no-js-1280.png"), FullPage = true });
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(withScript));
        await withScript.Context.CloseAsync();
        await withoutScript.Context.CloseAsync();
    }

    [Fact]
    public async Task WithNoPublicRelease_BothThankYousSaySoPlainly()
    {
        var surveyId = await fixture.Published.UnreleasedAsync();
        foreach (var javaScript in new[] { true, false })
        {
            var page = await SubmitFormAsync(surveyId, javaScript, expectTables: false);
            await Assertions.Expect(page.Locator(".sv-compare-none")).ToHaveTextAsync(NoRelease);
            Assert.Equal(0, await page.Locator(".sv-compare-table").CountAsync());
            // The journey still places the council; only the peers wait for the first release, and it says so.
            await Assertions.Expect(page.Locator("#journey .sv-journey-stage")).ToHaveTextAsync("Your stage: Engaging");
            await Assertions.Expect(page.Locator("#journey .sv-journey-none")).ToHaveTextAsync("Where other councils are will appear here once the first results are published.");
            Assert.Equal(0, await page.Locator("#journey .sv-journey-peers").CountAsync());
            await page.Context.CloseAsync();
        }
    }

    private async Task<IPage> SubmitFormAsync(string surveyId, bool javaScript, bool expectTables = true)
    {
        var page = await fixture.NewPageAsync(javaScript: javaScript, bypassCsp: javaScript, width: 1280);
        await page.GotoAsync(fixture.Published.FormUrl(surveyId));
        if (javaScript) await page.Locator("form[data-enhanced]").WaitForAsync();
        var survey = new SurveyPage(page);
        await survey.FillAllAsync();
        await survey.Submit.ClickAsync();
        await Assertions.Expect(survey.Receipt).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".sv-compare-title")).ToHaveTextAsync("How you compare");
        if (expectTables) await Assertions.Expect(page.Locator(".sv-compare-table").First).ToBeVisibleAsync();
        return page;
    }

    /// <summary>What a respondent who chose county, London, "engage", "process" and "1-2" should read.</summary>
    private async Task AssertHowYouCompareAsync(IFrame page)
    {
        var release = JsonDocument.Parse(await (await fixture.Host.Client.GetAsync(
            $"api/surveys/{(await fixture.Published.PublishedAsync()).SurveyId}/benchmark")).Content.ReadAsStringAsync()).RootElement;
        var section = page.Locator(".sv-compare");
        await Assertions.Expect(section).ToContainTextAsync($"From release {release.GetProperty("release").GetInt32()} of the published results");
        await Assertions.Expect(section).ToContainTextAsync($"with {PublishedSurveys.Respondents:N0} respondents");

        // The columns: everyone, the respondent's organisation type and their region (London is its own group).
        var maturity = page.Locator(".sv-compare-table[data-question='maturity']");
        Assert.Equal(["Your answer", "Everyone", "County council", "London"], await maturity.Locator("thead th").AllInnerTextsAsync());
        var stage = maturity.Locator("tr.sv-compare-stage");
        await Assertions.Expect(stage.Locator("th")).ToHaveTextAsync("At your stage or earlier");

        // Everyone's share of "engage", and at that stage or earlier ("broadcast" + "engage"), from the release itself.
        var everyone = release.GetProperty("questions").EnumerateArray().First(q => q.GetProperty("id").GetString() == "maturity");
        var options = everyone.GetProperty("options").EnumerateArray().ToList();
        var answered = everyone.GetProperty("answered").GetInt32();
        Assert.Equal(Percent(options[1].GetProperty("share").GetDouble()), await maturity.Locator("tbody tr").First.Locator("td").First.InnerTextAsync());
        var upTo = options[0].GetProperty("count").GetInt32() + options[1].GetProperty("count").GetInt32();
        Assert.Equal(Percent(Math.Round((double)upTo / answered, 3, MidpointRounding.AwayFromZero)), await stage.Locator("td").First.InnerTextAsync());

        // A segment question has no figure for its own group; a hidden figure says only that it is hidden.
        var own = page.Locator(".sv-compare-table[data-question='organisationType'] tbody tr").First.Locator("td");
        Assert.Equal("", await own.Nth(1).InnerTextAsync());
        var cells = await page.Locator(".sv-compare-table td").AllInnerTextsAsync();
        Assert.All(cells, c => Assert.Matches(@"^(|–|\d{1,3}(\.\d)?%)$", c));
        if (cells.Contains("–")) await Assertions.Expect(page.Locator(".sv-compare-note")).ToHaveTextAsync("– Not shown, to protect respondents' anonymity.");
        Assert.DoesNotContain("fewer than", await section.InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
    }

    private static string Percent(double share) => (share * 100).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "%";

    private static async Task<string> TablesAsync(IPage page) =>
        string.Join("\n", await page.Locator(".sv-compare-table").EvaluateAllAsync<string[]>(
            "ts => ts.map(t => [...t.querySelectorAll('caption, th, td')].map(c => c.textContent).join('|'))"));
}
