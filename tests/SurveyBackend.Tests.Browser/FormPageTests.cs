using System.Net;
using Microsoft.Playwright;

namespace SurveyBackend.Tests.Browser;

/// <summary>The iframe page, <c>/api/surveys/{id}/form</c>: with JavaScript off it is a plain HTML form the backend answers in HTML.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FormPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task WithJavaScriptOff_ErrorsComeBackAsHtml_ThenTheFixedFormIsStored()
    {
        var page = await fixture.NewPageAsync(javaScript: false);
        var survey = new SurveyPage(page);
        await page.GotoAsync(fixture.FormUrl);
        var submissionId = await page.Locator("input[name='submissionId']").InputValueAsync();
        await survey.FillAllAsync(except: "region");

        await survey.Submit.ClickAsync();

        // The server's page: the summary, the error at its question, everything else as it was given.
        await Assertions.Expect(survey.Summary).ToContainTextAsync("This question needs an answer.");
        await Assertions.Expect(page.Locator("#sv-err-q-region")).ToContainTextAsync("This question needs an answer.");
        Assert.Contains("sv-err-q-region", (await page.Locator(".sv-question[data-question='region'] fieldset").GetAttributeAsync("aria-describedby"))!);
        Assert.True(await page.Locator("#sv-q-organisationType-county").IsCheckedAsync());
        Assert.Equal("jo@example.gov.uk", await page.Locator("#sv-email").InputValueAsync());
        Assert.Equal(submissionId, await page.Locator("input[name='submissionId']").InputValueAsync());
        Assert.False(await fixture.IsStoredAsync(submissionId));
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "artifacts", "form-page-no-js-errors.png"), FullPage = true });

        await survey.ChooseAsync("region-wales");
        await survey.Submit.ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Thank you" })).ToBeVisibleAsync();
        Assert.Equal(submissionId, await survey.Receipt.InnerTextAsync());
        Assert.True(await fixture.IsStoredAsync(submissionId));
    }

    [Fact]
    public async Task WithJavaScriptOn_TheSamePagePostsJson_AndPassesAxe()
    {
        var page = await fixture.NewPageAsync(bypassCsp: true);
        var survey = new SurveyPage(page);
        await page.GotoAsync(fixture.FormUrl);
        await page.Locator("form[data-enhanced]").WaitForAsync();
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));

        await survey.Submit.ClickAsync();
        await Assertions.Expect(survey.Summary).ToBeFocusedAsync();
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));

        await survey.FillAllAsync();
        var posted = page.WaitForRequestAsync(r => r.Method == "POST");
        await survey.Submit.ClickAsync();
        Assert.EndsWith("/responses", (await posted).Url, StringComparison.Ordinal);
        await Assertions.Expect(survey.Receipt).ToBeVisibleAsync();
        Assert.True(await fixture.IsStoredAsync(await survey.Receipt.InnerTextAsync()));
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
    }

    [Fact]
    public async Task WithJavaScriptOn_AnAddressOver254Octets_IsRefusedAtItsField_BeforeAnythingIsPosted()
    {
        var page = await fixture.NewPageAsync(bypassCsp: true);
        var survey = new SurveyPage(page);
        var posts = 0;
        page.Request += (_, r) => posts += r.Method == "POST" ? 1 : 0;
        await page.GotoAsync(fixture.FormUrl);
        await page.Locator("form[data-enhanced]").WaitForAsync();
        await survey.FillAllAsync();
        // 250 characters, 260 octets: counted as the server counts it, in octets.
        var wide = new string('é', 10) + "@" + string.Join('.', Enumerable.Repeat(new string('d', 60), 3)) + "." + new string('d', 52) + ".org";
        await survey.Locator("#sv-email").FillAsync(wide);
        await survey.Submit.ClickAsync();
        await Assertions.Expect(survey.Summary).ToBeFocusedAsync();
        await Assertions.Expect(survey.Locator("#sv-err-email")).ToContainTextAsync("at most 254");
        Assert.Equal(0, posts);
    }

    [Fact]
    public async Task NoJsPost_SentTwice_IsStoredOnce_AndAFilledHoneypotGetsTheSameThankYouButIsDiscarded()
    {
        static FormUrlEncodedContent Form((string SubmissionId, string Token) page, string website) => new(
        [
            new("submissionId", page.SubmissionId), new("formToken", page.Token), new("answers.organisationType", "county"), new("answers.region", "wales"),
            new("answers.role", "digital"), new("answers.channels", "twitter"), new("answers.channels", "youtube"),
            new("answers.maturity", "engage"), new("answers.customerService", "no"), new("answers.teamSize", "none"),
            new("answers.challenge", "skills"), new("respondent.email", ""), new("website", website),
        ]);
        var url = $"api/surveys/{BrowserFixture.SurveyId}/form";
        var before = await fixture.CountSubmissionsAsync();

        // As a script posts the form: it loads the page for its submissionId and token first.
        async Task<(string, string)> OpenAsync()
        {
            var html = await fixture.Host.Client.GetStringAsync(url);
            string Hidden(string name) => System.Text.RegularExpressions.Regex.Match(html, $"name=\"{name}\" value=\"([^\"]*)\"").Groups[1].Value;
            return (Hidden("submissionId"), WebUtility.HtmlDecode(Hidden("formToken")));
        }
        var page = await OpenAsync();
        var id = page.Item1;
        foreach (var attempt in new[] { 1, 2 })
        {
            using var response = await fixture.Host.Client.PostAsync(url, Form(page, ""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
            Assert.Contains($"<code class=\"sv-receipt\">{id}</code>", await response.Content.ReadAsStringAsync());
        }
        Assert.Equal(before + 1, await fixture.CountSubmissionsAsync());

        var botPage = await OpenAsync();
        var bot = botPage.Item1;
        using (var response = await fixture.Host.Client.PostAsync(url, Form(botPage, "http://spam.example")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains($"<code class=\"sv-receipt\">{bot}</code>", await response.Content.ReadAsStringAsync());
        }
        Assert.False(await fixture.IsStoredAsync(bot));
        Assert.Equal(before + 1, await fixture.CountSubmissionsAsync());
    }

    [Fact]
    public async Task DemoPage_FramesTheForm_AndHoldsNoControlOfItsOwn()
    {
        var page = await fixture.NewPageAsync(width: 1280);
        await page.GotoAsync(fixture.DemoUrl);
        var frame = page.FrameLocator("div[data-survey] iframe");
        await Assertions.Expect(frame.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Social media in local government");
        await Assertions.Expect(frame.Locator("form[data-enhanced]")).ToBeAttachedAsync();
        Assert.Equal(0, await page.Locator("input, select, textarea, button, form").CountAsync());
        // The snippet it shows is the one it uses, noscript frame included.
        await Assertions.Expect(page.Locator("pre code")).ToContainTextAsync("<noscript><iframe src=\"https://BACKEND/api/surveys/");
        // Sized to the form (it starts at 720 px), then a picture of the whole page.
        await page.WaitForFunctionAsync("() => document.querySelector('div[data-survey] iframe').getBoundingClientRect().height > 2000");
        await page.ScreenshotAsync(new() { Path = ReportChartTests.Artifact("demo-page-1280.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Scripts_AreServedWithNosniffAndAnETag_AndAnswer304ToIt()
    {
        foreach (var (path, resourcePolicy) in new[] { ("api/embed.js", "cross-origin"), ("api/form.js", "same-origin") })
        {
            using var response = await fixture.Host.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/javascript", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal(resourcePolicy, response.Headers.GetValues("Cross-Origin-Resource-Policy").Single());
            using var again = new HttpRequestMessage(HttpMethod.Get, path);
            again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
            using var notModified = await fixture.Host.Client.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }
    }

    [Fact]
    public async Task FormPage_SendsSecurityHeaders_FrameAncestorsFromAllowedOrigins_AndNoStore()
    {
        using var response = await fixture.Host.Client.GetAsync($"api/surveys/{BrowserFixture.SurveyId}/form");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'self' https://community.example.org", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.False(response.Headers.Contains("Set-Cookie"));

        using var missing = await fixture.Host.Client.GetAsync("api/surveys/no-such-survey/form");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("Survey not found", await missing.Content.ReadAsStringAsync());
    }
}
