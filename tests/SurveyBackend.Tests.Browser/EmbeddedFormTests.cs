using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SurveyBackend.Form;

namespace SurveyBackend.Tests.Browser;

/// <summary>
/// The survey embedded with embed.js on a host page of another origin with a strict CSP (<see cref="EmbeddedSurvey"/>):
/// the form lives in a frame of the backend's own page, which the host page cannot read, which tells the host only its
/// height, and which people fill in by keyboard with JavaScript on and off.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class EmbeddedFormTests(BrowserFixture fixture)
{
    private static readonly Regex Uuid = new("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    // What the host page's own script can reach of the form: controls in its DOM (shadow roots included), the frame's document.
    private const string WhatTheHostReaches = """
        () => {
          const controls = [];
          const walk = root => root.querySelectorAll('*').forEach(e => {
            if (e.matches('input, select, textarea, button, form')) controls.push(e.tagName + '#' + e.id);
            if (e.shadowRoot) walk(e.shadowRoot);
          });
          walk(document);
          const frame = document.querySelector('iframe');
          let contentDocument, viaWindow;
          try { contentDocument = frame.contentDocument === null ? 'null' : 'readable'; } catch (e) { contentDocument = 'threw'; }
          try { viaWindow = frame.contentWindow.document ? 'readable' : 'null'; } catch (e) { viaWindow = 'threw ' + e.name; }
          return JSON.stringify({ controls, contentDocument, viaWindow, text: document.documentElement.outerHTML + document.body.innerText });
        }
        """;

    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task HostPage_CannotReachTheForm_HearsOnlyIntegers_AndTheFrameFitsTheFormItsErrorsAndTheThankYou(int width)
    {
        var (surveyId, _) = await fixture.Published.PublishedAsync();
        var embed = await EmbeddedSurvey.OpenAsync(fixture, surveyId, bypassCsp: true, width: width);
        var survey = embed.Survey;
        Assert.Equal("Survey", await embed.Page.Locator("iframe").GetAttributeAsync("title"));
        await embed.WaitUntilTheFrameFitsAsync();
        await embed.Page.ScreenshotAsync(new() { Path = ReportChartTests.Artifact($"embed-host-{width}.png"), FullPage = true });
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(embed.Frame));

        await survey.Submit.ClickAsync();
        await Assertions.Expect(survey.Summary).ToBeFocusedAsync();
        await embed.WaitUntilTheFrameFitsAsync();
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(embed.Frame));

        await survey.FillAllAsync();
        await AssertTheHostCannotReachTheFormAsync(embed);
        var posted = embed.Page.WaitForRequestAsync(r => r.Method == "POST");
        await survey.Submit.ClickAsync();
        var post = await posted;
        Assert.EndsWith($"/api/surveys/{surveyId}/responses", post.Url, StringComparison.Ordinal);
        // The sandbox keeps the frame's own origin: its posts carry the backend's Origin, never "null".
        Assert.Equal(fixture.BackendOrigin, await post.HeaderValueAsync("origin"));
        await Assertions.Expect(survey.Locator(".sv-compare-table").First).ToBeVisibleAsync();
        Assert.Matches(Uuid, await survey.Receipt.InnerTextAsync());
        Assert.True(await fixture.IsStoredAsync(await survey.Receipt.InnerTextAsync(), surveyId));
        await embed.WaitUntilTheFrameFitsAsync();
        await embed.Page.ScreenshotAsync(new() { Path = ReportChartTests.Artifact($"embed-host-thank-you-{width}.png"), FullPage = true });
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(embed.Frame));
        await AssertTheHostCannotReachTheFormAsync(embed);

        // The host heard heights, integers from the backend, and nothing else; the frame is as tall as the last one.
        var heard = await embed.HeardAsync();
        Assert.True(heard.Count >= 2, $"heard {heard.Count} messages");
        Assert.All(heard, m => Assert.Equal((fixture.BackendOrigin, "number"), (m.Origin, m.Type)));
        Assert.All(heard, m => Assert.Matches("^[1-9][0-9]*$", m.Data));
        Assert.Equal(int.Parse(heard[^1].Data), await embed.Page.Locator("iframe").EvaluateAsync<int>("f => f.getBoundingClientRect().height"));
        AssertTheFrameOnlyLoaded(embed, surveyId, lang: null);
        Assert.True(embed.ConsoleErrors.Count == 0, string.Join('\n', embed.ConsoleErrors));
        await embed.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task KeyboardAlone_TabsFromTheHostPageIntoTheFrame_FixesAnError_AndSends()
    {
        // No bypassCsp: the host page's strict policy (the backend's script and frame only) and the form's own both hold.
        var embed = await EmbeddedSurvey.OpenAsync(fixture);
        var survey = embed.Survey;
        var page = embed.Page;

        // From the host page's last link before the survey, Tab goes on into the frame: first its language switch.
        await page.Locator("a").FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("sv-language-switch", await survey.FocusedIdAsync());

        // Sending the empty form: focus lands on the error summary, whose first link leads to the first question.
        await survey.TabToAsync("sv-submit", 80);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(survey.Summary).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("sv-q-organisationType-county", await survey.FocusedIdAsync());
        await page.Keyboard.PressAsync("Space");

        await FillTheRestByKeyboardAsync(survey);
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(survey.Receipt).ToBeVisibleAsync();
        Assert.Equal("sv-done", await survey.FocusedIdAsync());
        Assert.True(await fixture.IsStoredAsync(await survey.Receipt.InnerTextAsync()));
        Assert.True(embed.ConsoleErrors.Count == 0, string.Join('\n', embed.ConsoleErrors));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task WithJavaScriptOff_TheNoscriptFrame_IsFilledInByKeyboard_AndSends()
    {
        var embed = await EmbeddedSurvey.OpenAsync(fixture, javaScript: false, width: 375);
        var survey = embed.Survey;
        var page = embed.Page;
        Assert.Equal(DemoPage.NoScriptHeight, await page.Locator("iframe").EvaluateAsync<int>("f => f.clientHeight"));
        await ReportChartTests.AssertNoSidewaysScrollAsync(page, 375);
        var submissionId = await survey.Locator("input[name='submissionId']").InputValueAsync();
        await page.ScreenshotAsync(new() { Path = ReportChartTests.Artifact("embed-host-no-js-375.png"), FullPage = true });

        await page.Locator("a").FocusAsync();
        await survey.TabToAsync("sv-q-organisationType-county");
        await page.Keyboard.PressAsync("Space");
        await FillTheRestByKeyboardAsync(survey);
        var posted = page.WaitForRequestAsync(r => r.Method == "POST");
        await page.Keyboard.PressAsync("Enter");

        Assert.Equal(fixture.BackendOrigin, await (await posted).HeaderValueAsync("origin"));
        await Assertions.Expect(survey.Frame.GetByRole(AriaRole.Heading, new() { Name = "Thank you" })).ToBeVisibleAsync();
        Assert.Equal(submissionId, await survey.Receipt.InnerTextAsync());
        Assert.True(await fixture.IsStoredAsync(submissionId));
        AssertTheFrameOnlyLoaded(embed, BrowserFixture.SurveyId, lang: null);
        await page.ScreenshotAsync(new() { Path = ReportChartTests.Artifact("embed-host-no-js-thank-you-375.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    /// <summary>From the first question answered to the email field (focused at the end), by keyboard alone.</summary>
    private static async Task FillTheRestByKeyboardAsync(SurveyPage survey)
    {
        var keyboard = survey.Page.Keyboard;
        // Radios: arrows move and pick; Tab goes on to the next question.
        foreach (var first in new[] { "region-north-east", "role-head-of-comms" })
        {
            await survey.TabToAsync("sv-q-" + first);
            await keyboard.PressAsync("ArrowDown");
        }
        await survey.TabToAsync("sv-q-channels-twitter");
        await keyboard.PressAsync("Space");
        await survey.TabToAsync("sv-q-channels-other");
        await keyboard.PressAsync("Space");
        await keyboard.PressAsync("Tab");
        await keyboard.TypeAsync("Local forum");
        foreach (var first in new[] { "maturity-broadcast", "customerService-no", "teamSize-none", "challenge-resources" })
        {
            await survey.TabToAsync("sv-q-" + first);
            await keyboard.PressAsync("Space");
        }
        await survey.TabToAsync("sv-email");
        await keyboard.TypeAsync("kim@example.gov.uk");
        // Then the privacy notice: its contact link and the full notice's summary.
        string[] afterEmail = ["sv-link", "sv-privacy-summary", "sv-consent"];
        foreach (var stop in afterEmail)
        {
            await keyboard.PressAsync("Tab");
            Assert.Equal(stop, await survey.FocusedIdAsync());
        }
        // With the script, the consent box appears once an email is given, next in order; without it, it is always there.
        await keyboard.PressAsync("Space");
        await keyboard.PressAsync("Tab");
        Assert.Equal("sv-submit", await survey.FocusedIdAsync()); // the honeypot is not a tab stop
        // Back to the email field: Enter there sends the form (it does not press the language switch, the first button).
        for (var i = 0; i <= afterEmail.Length; i++) await keyboard.PressAsync("Shift+Tab");
        Assert.Equal("sv-email", await survey.FocusedIdAsync());
    }

    private static async Task AssertTheHostCannotReachTheFormAsync(EmbeddedSurvey embed)
    {
        var reach = JsonDocument.Parse(await embed.Page.EvaluateAsync<string>(WhatTheHostReaches)).RootElement;
        Assert.Empty(reach.GetProperty("controls").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("null", reach.GetProperty("contentDocument").GetString());
        Assert.Equal("threw SecurityError", reach.GetProperty("viaWindow").GetString());
        foreach (var typed in new[] { "jo@example.gov.uk", "residents' forum", "Send my answers" })
            Assert.DoesNotContain(typed, reach.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The frame only ever loaded the form page, with at most its language in the address: no answer ever.</summary>
    private void AssertTheFrameOnlyLoaded(EmbeddedSurvey embed, string surveyId, string? lang)
    {
        var form = Regex.Escape($"{fixture.BackendOrigin}/api/surveys/{surveyId}/form") + (lang is null ? "" : Regex.Escape("?lang=" + lang)) + "$";
        Assert.NotEmpty(embed.FrameUrls);
        Assert.All(embed.FrameUrls.Append(embed.Frame.Url), url => Assert.Matches("^" + form, url));
    }

    [Fact]
    public async Task RequiredQuestionLeftOut_ErrorShownAndSummaryFocused_ThenFixed_IsSent()
    {
        var embed = await EmbeddedSurvey.OpenAsync(fixture);
        var survey = embed.Survey;
        await survey.FillAllAsync(except: "maturity");

        await survey.Submit.ClickAsync();

        await Assertions.Expect(survey.Summary).ToBeFocusedAsync();
        await Assertions.Expect(survey.Summary).ToContainTextAsync("This question needs an answer.");
        await Assertions.Expect(survey.Locator("#sv-err-q-maturity")).ToContainTextAsync("This question needs an answer.");
        // Tied to its question for screen readers.
        var describedBy = await survey.Locator(".sv-question[data-question='maturity'] fieldset").GetAttributeAsync("aria-describedby");
        Assert.Contains("sv-err-q-maturity", describedBy!.Split(' '));
        Assert.Equal(1, await survey.Locator(".sv-error").CountAsync());

        // The summary link takes focus to the question.
        await survey.Summary.GetByRole(AriaRole.Link).ClickAsync();
        Assert.Equal("sv-q-maturity-broadcast", await survey.FocusedIdAsync());

        await survey.ChooseAsync("maturity-service");
        await survey.Submit.ClickAsync();
        await Assertions.Expect(survey.Receipt).ToBeVisibleAsync();
        Assert.True(await fixture.IsStoredAsync(await survey.Receipt.InnerTextAsync()));
        await embed.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task Backend503Once_FormRetriesWithTheSameSubmissionId_AndExactlyOneIsStored()
    {
        var embed = await EmbeddedSurvey.OpenAsync(fixture);
        var survey = embed.Survey;
        var posts = new List<string>();
        await embed.Page.RouteAsync("**/responses", async route =>
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
        // The page's own submissionId, the one the no-JavaScript post would have carried.
        Assert.Equal(posts[0], await survey.Receipt.InnerTextAsync());
        Assert.Equal(before + 1, await fixture.CountSubmissionsAsync());
        await embed.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task ResponseLostAfterTheServerStoredIt_RetryIsAnsweredWithTheSameReceipt_AndOneIsStored()
    {
        var embed = await EmbeddedSurvey.OpenAsync(fixture);
        var survey = embed.Survey;
        var submissionId = await survey.Locator("input[name='submissionId']").InputValueAsync();
        var posts = 0;
        await embed.Page.RouteAsync("**/responses", async route =>
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

        await Assertions.Expect(survey.Receipt).ToHaveTextAsync(submissionId);
        Assert.Equal(2, posts);
        Assert.Equal(before + 1, await fixture.CountSubmissionsAsync());
        await embed.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task ExclusiveOptions_MaxSelections_Other_AndConsent_BehaveAsTheServerRulesExpect()
    {
        var embed = await EmbeddedSurvey.OpenAsync(fixture);
        var survey = embed.Survey;

        // "We don't use it yet" and the other uses exclude each other.
        await survey.ChooseAsync("insightUse-campaigns", "insightUse-none");
        Assert.False(await survey.Locator("#sv-q-insightUse-campaigns").IsCheckedAsync());
        await survey.ChooseAsync("insightUse-policy");
        Assert.False(await survey.Locator("#sv-q-insightUse-none").IsCheckedAsync());

        // Typing an Other answer chooses "Other"; the consent box appears only with an email.
        await survey.Locator("#sv-other-challenge").FillAsync("Elections purdah");
        Assert.True(await survey.Locator("#sv-q-challenge-other").IsCheckedAsync());
        Assert.False(await survey.Locator("#sv-consent").IsVisibleAsync());
        await survey.Locator("#sv-email").FillAsync("jo@example.gov.uk");
        Assert.True(await survey.Locator("#sv-consent").IsVisibleAsync());

        // Four measures where three are allowed: caught before any request is made.
        var posts = 0;
        await embed.Page.RouteAsync("**/responses", route => { posts++; return route.ContinueAsync(); });
        await survey.FillAllAsync();
        await survey.ChooseAsync("successMeasures-followers", "successMeasures-sentiment", "successMeasures-requests");
        await survey.Submit.ClickAsync();
        await Assertions.Expect(survey.Locator("#sv-err-q-successMeasures")).ToContainTextAsync("Choose at most 3 options.");
        Assert.Equal(0, posts);
        await embed.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task ServerValidationErrors_AreShownNextToTheirFields_AndInTheSummary()
    {
        var embed = await EmbeddedSurvey.OpenAsync(fixture);
        var survey = embed.Survey;
        await embed.Page.RouteAsync("**/responses", route => route.FulfillAsync(new()
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
        await Assertions.Expect(survey.Locator("#sv-err-email")).ToContainTextAsync("This is not an email address.");
        Assert.Equal("true", await survey.Locator("#sv-email").GetAttributeAsync("aria-invalid"));
        Assert.Contains("sv-err-email", (await survey.Locator("#sv-email").GetAttributeAsync("aria-describedby"))!);
        Assert.Contains("sv-err-other-channels", (await survey.Locator("#sv-other-channels").GetAttributeAsync("aria-describedby"))!);
        await Assertions.Expect(survey.Locator("#sv-err-q-region")).ToBeVisibleAsync();
        await embed.Page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("no-such-survey", "Survey not found")]
    [InlineData("closed-survey", "This survey is closed")]
    public async Task UnknownOrClosedSurvey_TheFrameShowsAClearMessage(string surveyId, string heading)
    {
        var definition = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Testing.RepoPaths.SampleSurvey))!;
        definition["id"] = "closed-survey";
        definition["status"] = "closed";
        using (var put = await fixture.Host.PutSurveyAsync("closed-survey", definition.ToJsonString())) put.EnsureSuccessStatusCode();

        var embed = await EmbeddedSurvey.OpenAsync(fixture, surveyId, expectForm: false);

        await Assertions.Expect(embed.Frame.GetByRole(AriaRole.Heading, new() { Name = heading })).ToBeVisibleAsync();
        Assert.Equal(0, await embed.Frame.Locator("form").CountAsync());
        await embed.WaitUntilTheFrameFitsAsync();
        await embed.Page.Context.CloseAsync();
    }
}
