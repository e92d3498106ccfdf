using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SurveyBackend.Languages;

namespace SurveyBackend.Tests.Browser;

/// <summary>The survey in Welsh: embedded with data-lang="cy", and the /form page with ?lang=cy, JavaScript on and off.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class WelshTests(BrowserFixture fixture)
{
    private static string Artifact(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "artifacts", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    // bypassCsp: axe and the text walk are scripts of the test (the strict policies themselves are EmbeddedFormTests' to prove).
    private Task<EmbeddedSurvey> OpenEmbedAsync(int width = 1280) =>
        EmbeddedSurvey.OpenAsync(fixture, lang: "cy", bypassCsp: true, width: width);

    [Fact]
    public async Task Embed_InWelsh_IsWelshThroughout_PassesAxe_AndItsErrorsAreWelsh()
    {
        var embed = await OpenEmbedAsync();
        var frame = embed.Frame;
        Assert.Equal("Arolwg", await embed.Page.Locator("iframe").GetAttributeAsync("title"));
        Assert.Equal("cy", await frame.Locator(".sv").GetAttributeAsync("lang"));
        await Assertions.Expect(frame.Locator(".sv-title")).ToHaveTextAsync("Cyfryngau cymdeithasol mewn llywodraeth leol: ble mae cynghorau ar y daith?");
        await Assertions.Expect(frame.Locator(".sv-submit")).ToHaveTextAsync("Anfon fy atebion");
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(frame));
        Assert.Empty(await EnglishOnAsync(frame));

        await frame.Locator(".sv-submit").ClickAsync();
        await Assertions.Expect(frame.Locator(".sv-summary-title")).ToHaveTextAsync("Mae problem wedi codi");
        await Assertions.Expect(frame.Locator("#sv-err-q-region")).ToContainTextAsync("Mae angen ateb y cwestiwn hwn.");
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(frame));
        Assert.Empty(await EnglishOnAsync(frame));
        await embed.WaitUntilTheFrameFitsAsync();
        await embed.Page.ScreenshotAsync(new() { Path = Artifact("welsh-embed-errors-1280.png"), FullPage = true });

        await embed.Survey.FillAllAsync();
        var posted = embed.Page.WaitForRequestAsync(r => r.Method == "POST" && r.Url.EndsWith("/responses", StringComparison.Ordinal));
        await frame.Locator(".sv-submit").ClickAsync();
        Assert.Equal("cy", System.Text.Json.JsonDocument.Parse((await posted).PostData!).RootElement.GetProperty("lang").GetString());
        await Assertions.Expect(frame.GetByRole(AriaRole.Heading, new() { Name = "Diolch" })).ToBeVisibleAsync();
        await Assertions.Expect(frame.Locator(".sv-compare-title")).ToHaveTextAsync("Sut rydych chi’n cymharu");
        Assert.True(await fixture.IsStoredAsync(await embed.Survey.Receipt.InnerTextAsync()));
        Assert.Empty(await EnglishOnAsync(frame));
        Assert.All(embed.FrameUrls, url => Assert.EndsWith("/form?lang=cy", url, StringComparison.Ordinal));
        await embed.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task Embed_LanguageSwitch_KeepsTheAnswersGiven_BothWays_AndPostsWithTheBackendsOrigin()
    {
        var embed = await OpenEmbedAsync(width: 375);
        var frame = embed.Frame;
        var switches = new List<IRequest>();
        embed.Page.Request += (_, r) => { if (r.Method == "POST") switches.Add(r); };
        await embed.Survey.ChooseAsync("organisationType-county", "channels-twitter", "channels-other");
        await frame.Locator("#sv-other-channels").FillAsync("Fforwm trigolion");
        await frame.Locator("#sv-email").FillAsync("jo@example.gov.uk");
        await frame.Locator("#sv-consent").CheckAsync();
        await embed.Page.ScreenshotAsync(new() { Path = Artifact("welsh-embed-375.png") });

        await frame.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(frame.Locator(".sv-submit")).ToHaveTextAsync("Send my answers");
        Assert.Equal("en", await frame.Locator(".sv").GetAttributeAsync("lang"));
        await AssertKeptAsync(frame);
        await Assertions.Expect(frame.GetByRole(AriaRole.Button, new() { Name = "Cymraeg" })).ToBeFocusedAsync();

        await frame.GetByRole(AriaRole.Button, new() { Name = "Cymraeg" }).ClickAsync();
        await Assertions.Expect(frame.Locator(".sv-submit")).ToHaveTextAsync("Anfon fy atebion");
        await AssertKeptAsync(frame);
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(frame));
        // The switch is the form page's own post, inside the sandboxed frame: it carries the backend's Origin, never "null".
        Assert.Equal(2, switches.Count);
        foreach (var post in switches) Assert.Equal(fixture.BackendOrigin, await post.HeaderValueAsync("origin"));
        await embed.WaitUntilTheFrameFitsAsync();
        await embed.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task FormPage_WithJavaScriptOff_InWelsh_ErrorsAreWelsh_AndTheSwitchKeepsTheAnswers_WithoutSending()
    {
        var page = await fixture.NewPageAsync(javaScript: false, width: 1280);
        var survey = new SurveyPage(page);
        await page.GotoAsync(fixture.FormUrl + "?lang=cy");
        Assert.Equal("cy", await page.Locator("html").GetAttributeAsync("lang"));
        var submissionId = await page.Locator("input[name='submissionId']").InputValueAsync();
        await survey.FillAllAsync(except: "region");

        await page.Locator(".sv-submit").ClickAsync();
        await Assertions.Expect(page.Locator(".sv-summary-title")).ToHaveTextAsync("Mae problem wedi codi");
        await Assertions.Expect(page.Locator("#sv-err-q-region")).ToContainTextAsync("Mae angen ateb y cwestiwn hwn.");
        Assert.Equal("cy", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Empty(await EnglishOnAsync(page));
        await page.ScreenshotAsync(new() { Path = Artifact("welsh-form-no-js-errors-1280.png") });

        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(page.Locator(".sv-submit")).ToHaveTextAsync("Send my answers");
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.True(await page.Locator("#sv-q-organisationType-county").IsCheckedAsync());
        Assert.Equal("A local residents' forum", await page.Locator("#sv-other-channels").InputValueAsync());
        Assert.Equal("jo@example.gov.uk", await page.Locator("#sv-email").InputValueAsync());
        Assert.Equal(submissionId, await page.Locator("input[name='submissionId']").InputValueAsync());
        Assert.False(await fixture.IsStoredAsync(submissionId), "switching language sends nothing");

        await page.GetByRole(AriaRole.Button, new() { Name = "Cymraeg" }).ClickAsync();
        await survey.ChooseAsync("region-wales");
        await page.Locator(".sv-submit").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Diolch" })).ToBeVisibleAsync();
        Assert.Equal(submissionId, await survey.Receipt.InnerTextAsync());
        Assert.True(await fixture.IsStoredAsync(submissionId));
        Assert.Empty(await EnglishOnAsync(page));
    }

    [Fact]
    public async Task FormPage_WithJavaScriptOn_InWelsh_PassesAxe_AndTheSwitchKeepsTheAnswers()
    {
        var page = await fixture.NewPageAsync(bypassCsp: true, width: 375);
        var survey = new SurveyPage(page);
        await page.GotoAsync(fixture.FormUrl + "?lang=cy");
        await page.Locator("form[data-enhanced]").WaitForAsync();
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));

        await page.Locator(".sv-submit").ClickAsync();
        await Assertions.Expect(page.Locator(".sv-summary")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator(".sv-summary-title")).ToHaveTextAsync("Mae problem wedi codi");
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
        Assert.Empty(await EnglishOnAsync(page));
        await page.ScreenshotAsync(new() { Path = Artifact("welsh-form-js-errors-375.png"), FullPage = true });

        await survey.ChooseAsync("organisationType-county", "channels-twitter", "channels-other");
        await page.Locator("#sv-other-channels").FillAsync("Fforwm trigolion");
        await page.Locator("#sv-email").FillAsync("jo@example.gov.uk");
        await page.Locator("#sv-consent").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(page.Locator(".sv-submit")).ToHaveTextAsync("Send my answers");
        await AssertKeptAsync(page.MainFrame);
    }

    [Fact]
    public async Task ReportPage_InWelsh_IsWelshThroughout_PassesAxe_AndLinksBackToEnglish()
    {
        var (_, reportId) = await fixture.Published.TwoWavesAsync();
        foreach (var width in new[] { 1280, 375 })
        {
            var page = await fixture.NewPageAsync(bypassCsp: true, width: width);
            var response = await page.GotoAsync(fixture.Published.ReportUrl(reportId) + "?lang=cy");
            Assert.Equal(200, response!.Status);
            Assert.Equal("cy", await page.Locator("html").GetAttributeAsync("lang"));
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Beth sydd wedi newid ers 2016");
            await Assertions.Expect(page.Locator("#changes")).ToHaveTextAsync("Beth sydd wedi newid ers y cylch blaenorol");
            Assert.Equal("en", await page.Locator("link[rel=alternate][hreflang=en]").GetAttributeAsync("hreflang"));
            Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
            Assert.Empty(await EnglishOnAsync(page));
            // Nothing scrolls sideways on a phone.
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways");
            await page.ScreenshotAsync(new() { Path = Artifact($"welsh-report-{width}.png") });
            // A question's bars and its then/now table, where the Welsh words are longest.
            await page.Locator("table.trend").First.ScrollIntoViewIfNeededAsync();
            await page.ScreenshotAsync(new() { Path = Artifact($"welsh-report-trend-{width}.png") });
            if (width == 375) continue;

            // The switch is reachable from the keyboard, and leads to the English page.
            var toEnglish = page.Locator("p.language a");
            await Assertions.Expect(toEnglish).ToHaveAttributeAsync("lang", "en");
            await toEnglish.FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await page.WaitForURLAsync(new Regex("lang=en$"));
            Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
            await Assertions.Expect(page.Locator("p.language a")).ToHaveTextAsync("Cymraeg");
        }
    }

    [Fact]
    public async Task Slides_InWelsh_PassAxe_AndCountSlidesInWelsh()
    {
        var (_, reportId) = await fixture.Published.TwoWavesAsync();
        var page = await fixture.NewPageAsync(bypassCsp: true, width: 1280);
        await page.GotoAsync(fixture.Published.SlidesUrl(reportId) + "?lang=cy");
        Assert.Equal("cy", await page.Locator("html").GetAttributeAsync("lang"));
        await Assertions.Expect(page.Locator("#where")).ToHaveTextAsync(new Regex("^Sleid 1 o \\d+$"));
        await Assertions.Expect(page.Locator("#next")).ToHaveTextAsync("Nesaf");
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
        Assert.Empty(await EnglishOnAsync(page));
    }

    private static async Task AssertKeptAsync(IFrame page)
    {
        Assert.True(await page.Locator("#sv-q-organisationType-county").IsCheckedAsync());
        Assert.True(await page.Locator("#sv-q-channels-twitter").IsCheckedAsync());
        Assert.True(await page.Locator("#sv-q-channels-other").IsCheckedAsync());
        Assert.Equal("Fforwm trigolion", await page.Locator("#sv-other-channels").InputValueAsync());
        Assert.Equal("jo@example.gov.uk", await page.Locator("#sv-email").InputValueAsync());
        Assert.True(await page.Locator("#sv-consent").IsCheckedAsync());
    }

    /// <summary>English UI strings on the page (shadow roots included), but for the ones the same in both languages.</summary>
    internal static Task<IReadOnlyList<string>> EnglishOnAsync(IPage page) => EnglishOnAsync(page.MainFrame);

    internal static async Task<IReadOnlyList<string>> EnglishOnAsync(IFrame page)
    {
        var texts = await page.EvaluateAsync<string[]>("""
            () => {
              const out = [];
              const walk = (root) => {
                const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
                for (let n = w.currentNode; n; n = w.nextNode()) {
                  if (n.nodeType === 3) { if (n.parentElement && n.parentElement.closest('script,style')) continue; const t = n.textContent.trim(); if (t) out.push(t); }
                  else if (n.shadowRoot) walk(n.shadowRoot);
                }
              };
              walk(document.querySelector('.sv') || document.body);
              return out;
            }
            """);
        var pieces = UiText.For(UiText.English).All.Where(p => p.Key != "date.months")
            .SelectMany(p => Placeholder().Split(p.Value)).Select(s => s.Trim(' ', '.', ':', '(', ')', '…'))
            // The same in both on purpose, as in the unit tests' WelshPages.SameInBoth: the switch's "English", the dash, "n =".
            .Where(s => s.Length >= 2 && s is not ("English" or "–" or "n =")).Distinct().ToList();
        return [.. texts.Where(t => t != "English")
            .SelectMany(t => pieces.Where(p => t == p || (p.Contains(' ') && t.Contains(p, StringComparison.Ordinal))).Select(p => $"'{p}' in '{t}'"))];
    }

    [GeneratedRegex(@"\{[a-zA-Z]+\}")]
    private static partial Regex Placeholder();
}
