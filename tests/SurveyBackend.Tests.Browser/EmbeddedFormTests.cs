using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace SurveyBackend.Tests.Browser;

/// <summary>The survey embedded with embed.js on the demo host page (a strict CSP, hostile styles), in Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class EmbeddedFormTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private static readonly Regex Uuid = new("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    private async Task<SurveyPage> OpenDemoAsync(bool bypassCsp = false)
    {
        var page = await fixture.NewPageAsync(bypassCsp: bypassCsp);
        var problems = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") problems.Add(m.Text); };
        await page.GotoAsync(fixture.DemoUrl);
        await page.Locator("form.sv-form").WaitForAsync();
        Assert.Empty(problems); // a CSP refusal or a script error would show here
        return new SurveyPage(page);
    }

    [Fact]
    public async Task DemoPage_WholeSurveyFilledInAndSent_ShowsThankYouWithReceipt_AndStoresIt()
    {
        var survey = await OpenDemoAsync();
        var page = survey.Page;

        // The host page's styles do not reach in: its labels are uppercase and red, the form's are not.
        var label = page.Locator("label[for='sv-q-organisationType-county']");
        Assert.Equal("none", await label.EvaluateAsync<string>("e => getComputedStyle(e).textTransform"));
        Assert.Equal("rgb(11, 12, 12)", await label.EvaluateAsync<string>("e => getComputedStyle(e).color"));
        // ...and its own styles did load under the host's CSP: the honeypot is off-screen.
        Assert.False(await page.Locator("#sv-website").IsVisibleAsync() && (await page.Locator("#sv-website").BoundingBoxAsync())!.X >= 0);

        await survey.FillAllAsync();
        var screenshot = Path.Combine(AppContext.BaseDirectory, "artifacts", "demo-page.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        output.WriteLine($"Screenshot of the demo page: {screenshot}");
        Console.WriteLine($"Screenshot of the demo page: {screenshot}");

        var posted = page.WaitForRequestAsync(r => r.Method == "POST" && r.Url.EndsWith("/responses", StringComparison.Ordinal));
        await survey.Submit.ClickAsync();
        var submissionId = SurveyPage.SubmissionIdOf(await posted);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Thank you" })).ToBeVisibleAsync();
        Assert.Equal(submissionId, await survey.Receipt.InnerTextAsync());
        Assert.Matches(Uuid, submissionId);
        Assert.True(await fixture.IsStoredAsync(submissionId), "the submission is in the submissions table");
        Assert.Equal("sv-done", await survey.FocusedIdAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "artifacts", "demo-page-thank-you.png") });
    }

    [Fact]
    public async Task RequiredQuestionLeftOut_ErrorShownAndSummaryFocused_ThenFixed_IsSent()
    {
        var survey = await OpenDemoAsync();
        var page = survey.Page;
        await survey.FillAllAsync(except: "maturity");

        await survey.Submit.ClickAsync();

        await Assertions.Expect(survey.Summary).ToBeFocusedAsync();
        await Assertions.Expect(survey.Summary).ToContainTextAsync("This question needs an answer.");
        var error = page.Locator("#sv-err-q-maturity");
        await Assertions.Expect(error).ToContainTextAsync("This question needs an answer.");
        // Tied to its question for screen readers.
        var describedBy = await page.Locator(".sv-question[data-question='maturity'] fieldset").GetAttributeAsync("aria-describedby");
        Assert.Contains("sv-err-q-maturity", describedBy!.Split(' '));
        Assert.Equal(1, await page.Locator(".sv-error").CountAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "artifacts", "demo-page-error.png") });

        // The summary link takes focus to the question.
        await survey.Summary.GetByRole(AriaRole.Link).ClickAsync();
        Assert.Equal("sv-q-maturity-broadcast", await survey.FocusedIdAsync());

        await survey.ChooseAsync("maturity-service");
        await survey.Submit.ClickAsync();
        await Assertions.Expect(survey.Receipt).ToBeVisibleAsync();
        Assert.True(await fixture.IsStoredAsync(await survey.Receipt.InnerTextAsync()));
    }

    [Fact]
    public async Task KeyboardAlone_ReachesEveryControl_FixesAnError_AndSends()
    {
        var survey = await OpenDemoAsync();
        var page = survey.Page;

        // Sending the empty form: focus lands on the error summary, whose first link leads to the first question.
        await survey.TabToAsync("sv-submit", 80);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(survey.Summary).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("sv-q-organisationType-county", await survey.FocusedIdAsync());

        // Radios: Space picks the focused one, arrows move and pick; Tab goes on to the next question.
        await page.Keyboard.PressAsync("Space");
        foreach (var first in new[] { "region-north-east", "role-head-of-comms" })
        {
            await survey.TabToAsync("sv-q-" + first);
            await page.Keyboard.PressAsync("ArrowDown");
        }
        await survey.TabToAsync("sv-q-channels-twitter");
        await page.Keyboard.PressAsync("Space");
        await survey.TabToAsync("sv-q-channels-other");
        await page.Keyboard.PressAsync("Space");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("Local forum");
        foreach (var first in new[] { "maturity-broadcast", "customerService-no", "teamSize-none", "challenge-resources" })
        {
            await survey.TabToAsync("sv-q-" + first);
            await page.Keyboard.PressAsync("Space");
        }
        await survey.TabToAsync("sv-email");
        await page.Keyboard.TypeAsync("kim@example.gov.uk");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("sv-consent", await survey.FocusedIdAsync()); // shown once an email is given, and next in order
        await page.Keyboard.PressAsync("Space");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("sv-submit", await survey.FocusedIdAsync()); // the honeypot is not a tab stop
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(survey.Receipt).ToBeVisibleAsync();
        Assert.Equal("sv-done", await survey.FocusedIdAsync());
        Assert.True(await fixture.IsStoredAsync(await survey.Receipt.InnerTextAsync()));
    }

    [Fact]
    public async Task Backend503Once_FormRetriesWithTheSameSubmissionId_AndExactlyOneIsStored()
    {
        var survey = await OpenDemoAsync();
        var page = survey.Page;
        var posts = new List<string>();
        await page.RouteAsync("**/responses", async route =>
        {
            posts.Add(SurveyPage.SubmissionIdOf(route.Request));
            if (posts.Count == 1)
            {
                await route.FulfillAsync(new()
                {
                    Status = 503,
                    ContentType = "application/problem+json",
                    Headers = new Dictionary<string, string> { ["Retry-After"] = "1" },
                    Body = """{"type":"urn:survey-backend:problem:unavailable","title":"The service is briefly unavailable.","status":503}""",
                });
            }
            else await route.ContinueAsync();
        });
        var before = await fixture.CountSubmissionsAsync();
        await survey.FillAllAsync();

        await survey.Submit.ClickAsync();

        await Assertions.Expect(survey.Receipt).ToBeVisibleAsync();
        Assert.Equal(2, posts.Count);
        Assert.Equal(posts[0], posts[1]);
        Assert.Equal(posts[0], await survey.Receipt.InnerTextAsync());
        Assert.Equal(before + 1, await fixture.CountSubmissionsAsync());
    }

    [Fact]
    public async Task ResponseLostAfterTheServerStoredIt_RetryIsAnsweredWithTheSameReceipt_AndOneIsStored()
    {
        var survey = await OpenDemoAsync();
        var page = survey.Page;
        var posts = 0;
        await page.RouteAsync("**/responses", async route =>
        {
            if (++posts == 1)
            {
                // The request reaches the backend and is stored; the answer is lost on the way back.
                await route.FetchAsync();
                await route.AbortAsync("connectionreset");
            }
            else await route.ContinueAsync();
        });
        var before = await fixture.CountSubmissionsAsync();
        await survey.FillAllAsync();

        await survey.Submit.ClickAsync();

        await Assertions.Expect(survey.Receipt).ToBeVisibleAsync();
        Assert.Equal(2, posts);
        Assert.Equal(before + 1, await fixture.CountSubmissionsAsync());
    }

    [Fact]
    public async Task ExclusiveOptions_MaxSelections_Other_AndConsent_BehaveAsTheServerRulesExpect()
    {
        var survey = await OpenDemoAsync();
        var page = survey.Page;

        // "We don't use it yet" and the other uses exclude each other.
        await survey.ChooseAsync("insightUse-campaigns", "insightUse-none");
        Assert.False(await page.Locator("#sv-q-insightUse-campaigns").IsCheckedAsync());
        await survey.ChooseAsync("insightUse-policy");
        Assert.False(await page.Locator("#sv-q-insightUse-none").IsCheckedAsync());

        // Typing an Other answer chooses "Other"; the consent box appears only with an email.
        await page.Locator("#sv-other-challenge").FillAsync("Elections purdah");
        Assert.True(await page.Locator("#sv-q-challenge-other").IsCheckedAsync());
        Assert.False(await page.Locator("#sv-consent").IsVisibleAsync());
        await page.Locator("#sv-email").FillAsync("jo@example.gov.uk");
        Assert.True(await page.Locator("#sv-consent").IsVisibleAsync());

        // Four measures where three are allowed: caught before any request is made.
        var posts = 0;
        await page.RouteAsync("**/responses", route => { posts++; return route.ContinueAsync(); });
        await survey.FillAllAsync();
        await survey.ChooseAsync("successMeasures-followers", "successMeasures-sentiment", "successMeasures-requests");
        await survey.Submit.ClickAsync();
        await Assertions.Expect(page.Locator("#sv-err-q-successMeasures")).ToContainTextAsync("Choose at most 3 options.");
        Assert.Equal(0, posts);
    }

    [Fact]
    public async Task ServerValidationErrors_AreShownNextToTheirFields_AndInTheSummary()
    {
        var survey = await OpenDemoAsync();
        var page = survey.Page;
        await page.RouteAsync("**/responses", route => route.FulfillAsync(new()
        {
            Status = 400,
            ContentType = "application/problem+json",
            Body = """
                {"type":"urn:survey-backend:problem:validation","title":"The request is not valid.","status":400,
                 "errors":{"respondent.email":["This is not an email address."],"other.channels":["The Other text must be at most 200 characters."],"answers.region":["There is no option 'atlantis' in this question."]}}
                """,
        }));
        await survey.FillAllAsync();

        await survey.Submit.ClickAsync();

        await Assertions.Expect(survey.Summary).ToBeFocusedAsync();
        await Assertions.Expect(survey.Summary.Locator("li")).ToHaveCountAsync(3);
        // In the order of the form: region, then channels' Other, then the email.
        Assert.Equal(
            ["There is no option 'atlantis' in this question.", "The Other text must be at most 200 characters.", "This is not an email address."],
            await survey.Summary.Locator("li").AllInnerTextsAsync());
        await Assertions.Expect(page.Locator("#sv-err-email")).ToContainTextAsync("This is not an email address.");
        Assert.Equal("true", await page.Locator("#sv-email").GetAttributeAsync("aria-invalid"));
        Assert.Contains("sv-err-email", (await page.Locator("#sv-email").GetAttributeAsync("aria-describedby"))!);
        Assert.Contains("sv-err-other-channels", (await page.Locator("#sv-other-channels").GetAttributeAsync("aria-describedby"))!);
        await Assertions.Expect(page.Locator("#sv-err-q-region")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Axe_FindsNoWcag22AaViolations_OnTheForm_ItsErrors_AndTheThankYou()
    {
        var survey = await OpenDemoAsync(bypassCsp: true);
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(survey.Page));

        await survey.Page.Locator("#sv-email").FillAsync("not-an-address");
        await survey.Page.Locator("#sv-consent").CheckAsync();
        await survey.Submit.ClickAsync();
        await Assertions.Expect(survey.Summary).ToBeFocusedAsync();
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(survey.Page));

        await survey.Page.Locator("#sv-email").FillAsync("");
        await survey.FillAllAsync();
        await survey.Submit.ClickAsync();
        await Assertions.Expect(survey.Receipt).ToBeVisibleAsync();
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(survey.Page));
    }

    [Theory]
    [InlineData("no-such-survey", "Survey not found")]
    [InlineData("closed-survey", "This survey is closed")]
    public async Task UnknownOrClosedSurvey_ShowsAClearMessage(string surveyId, string heading)
    {
        var definition = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Testing.RepoPaths.SampleSurvey))!;
        definition["id"] = "closed-survey";
        definition["status"] = "closed";
        using (var put = await fixture.Host.PutSurveyAsync("closed-survey", definition.ToJsonString())) put.EnsureSuccessStatusCode();
        var page = await fixture.NewPageAsync();
        // A host page of our own making, on the backend's origin: only the survey id differs from the demo.
        await page.RouteAsync("**/test-host", route => route.FulfillAsync(new()
        {
            ContentType = "text/html",
            Body = $"""<!doctype html><html lang="en"><title>Host</title><div data-survey="{surveyId}"></div><script src="/api/embed.js" async></script></html>""",
        }));
        await page.GotoAsync(new Uri(fixture.Host.BaseAddress, "test-host").ToString());

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading })).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("form").CountAsync());

        // The iframe page says the same.
        await page.GotoAsync(new Uri(fixture.Host.BaseAddress, $"api/surveys/{surveyId}/form").ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading })).ToBeVisibleAsync();
    }
}
