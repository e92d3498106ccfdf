using System.Text.RegularExpressions;
using Azure.Storage.Queues;
using Microsoft.Playwright;
using SurveyBackend.Storage;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Browser;

/// <summary>
/// The survey owner's console, driven as the owner would: sign in, load a definition, watch it fill, make a release,
/// publish a report and follow its mailing, replay a failed message. Each test has a survey of its own.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleTests
{
    private readonly BrowserFixture fixture;

    public ConsoleTests(BrowserFixture fixture)
    {
        this.fixture = fixture;
        // Each console action is a few storage round trips on a shared 2-core machine: give expectations room.
        Assertions.SetDefaultExpectTimeout(15_000);
    }

    private async Task<ConsoleDriver> OpenConsoleAsync()
    {
        var page = await fixture.NewPageAsync(bypassCsp: true, width: 1280);
        return new ConsoleDriver(page, fixture);
    }

    [Fact]
    public async Task SignIn_WithAWrongKey_SaysSo_ThenTheRightKeyShowsTheSurveys_AndTheKeyNeverGoesInAUrl()
    {
        var console = await OpenConsoleAsync();
        var urls = new List<string>();
        console.Page.Request += (_, request) => urls.Add(request.Url);
        var page = await console.Page.GotoAsync(console.Url);
        var policy = (await page!.AllHeadersAsync())["content-security-policy"];
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(console.Page));

        await console.SignInAsync("not-the-key");

        await Assertions.Expect(console.KeyError).ToContainTextAsync("That key was not accepted");
        await Assertions.Expect(console.Key).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(console.Key).ToBeFocusedAsync();
        await Assertions.Expect(console.App).ToBeHiddenAsync();
        Assert.Null(await console.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('survey-console-key')"));
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(console.Page));
        await console.ScreenshotsAsync("sign-in-wrong-key");

        await console.SignInAsOwnerAsync();

        await Assertions.Expect(console.Page.Locator($"button[data-survey='{BrowserFixture.SurveyId}']")).ToBeVisibleAsync();
        await Assertions.Expect(console.KeyError).ToBeHiddenAsync();
        Assert.Equal(LocalHostServer.FunctionKey, await console.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('survey-console-key')"));
        Assert.Equal("", await console.Key.InputValueAsync());
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(console.Page));
        Assert.DoesNotContain(urls, u => u.Contains("not-the-key", StringComparison.Ordinal) || u.Contains(LocalHostServer.FunctionKey, StringComparison.Ordinal));
        Assert.Contains(urls, u => u.EndsWith("/api/admin/surveys", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ABadDefinition_ShowsEachFaultAtItsPath_AndAStructuralChangeAfterResponsesSaysWhatMayStillChange()
    {
        var console = await OpenConsoleAsync();
        await console.SignInAsOwnerAsync();

        await console.Button("Load a new survey").ClickAsync();
        await console.Definition.FillAsync("""
            { "id": "console-bad-definition", "title": "Bad", "status": "open", "minGroupSize": 0, "segments": ["nowhere"],
              "questions": [
                { "id": "q1", "text": "One", "type": "single", "options": [ { "id": "a", "text": "A" } ] },
                { "id": "q1", "text": "Two", "type": "single", "options": [ { "id": "a", "text": "A" }, { "id": "b", "text": "B" } ] } ] }
            """);
        await console.Button("Save the definition").ClickAsync();

        await Assertions.Expect(console.DefinitionMessage).ToBeFocusedAsync();
        await Assertions.Expect(console.DefinitionMessage).ToContainTextAsync("was not saved");
        foreach (var (path, text) in new[]
        {
            ("minGroupSize", "between 3 and"), ("segments[0]", "id of a question"),
            ("questions[0].options", "at least two options"), ("questions[1].id", "used twice"),
        })
        {
            await Assertions.Expect(console.DefinitionMessage.Locator($"li[data-path='{path}']")).ToContainTextAsync(text);
        }
        await Assertions.Expect(console.Definition).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(console.Page));
        await console.ScreenshotsAsync("definition-faults");

        // A survey with a response: its questions are fixed, and the console says what may still change.
        var surveyId = await ConsoleDriver.PutSurveyAsync(fixture, "console-locked");
        await ConsoleDriver.SubmitAsync(fixture, surveyId);
        await console.Page.ReloadAsync();
        await console.OpenAsync(surveyId);
        await Assertions.Expect(console.Definition).ToHaveValueAsync(new Regex($"\"id\": \"{surveyId}\""));
        var edited = (await console.Definition.InputValueAsync()).Replace("\"id\": \"teamSize\"", "\"id\": \"teamHeadcount\"", StringComparison.Ordinal);
        await console.Definition.FillAsync(edited);
        await console.Button("Save the definition").ClickAsync();

        await Assertions.Expect(console.DefinitionMessage).ToContainTextAsync("already has responses");
        await Assertions.Expect(console.DefinitionMessage).ToContainTextAsync("You may still change: the title and description, the wording");
    }

    [Fact]
    public async Task ASubmissionThroughTheFormInAnotherPage_RaisesTheCountAndTheChart_AndTheHourlyIntake_WithARefusal()
    {
        var surveyId = await ConsoleDriver.PutSurveyAsync(fixture, "console-fill");
        var console = await OpenConsoleAsync();
        await console.SignInAsOwnerAsync();
        await console.OpenAsync(surveyId);
        await console.ExpectRespondentsAsync(0);
        await Assertions.Expect(console.Page.Locator("#intake-summary")).ToContainTextAsync("accepted");
        var (accepted, origin) = (await console.IntakeCountAsync("accepted"), await console.IntakeCountAsync("origin"));
        await Assertions.Expect(console.Page.Locator("#daily-chart")).ToContainTextAsync("No responses counted yet");

        var respondent = await fixture.NewPageAsync();
        var form = new SurveyPage(respondent);
        await respondent.GotoAsync(new Uri(fixture.Host.BaseAddress, $"api/surveys/{surveyId}/form").ToString());
        await respondent.Locator("form[data-enhanced]").WaitForAsync();
        await form.FillAllAsync();
        await form.Submit.ClickAsync();
        await Assertions.Expect(form.Receipt).ToBeVisibleAsync();

        await console.ExpectRespondentsAsync(1);
        await Assertions.Expect(console.Page.Locator("#daily-chart svg rect.bar")).ToHaveCountAsync(1);
        // A post as another site's page would make a browser send it: refused, and counted as such (counts only).
        using (var refused = await fixture.Host.Client.SendAsync(CrossSitePost(surveyId))) Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        var thisHour = console.Page.Locator("#intake-table tbody tr").First;
        await Assertions.Expect(thisHour.Locator("td[data-field='accepted']")).ToHaveTextAsync((accepted + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(thisHour.Locator("td[data-field='origin']")).ToHaveTextAsync((origin + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(console.Page.Locator($"td[data-respondents='{surveyId}']")).ToHaveTextAsync("1");
        await Assertions.Expect(console.Page.Locator("#results")).ToContainTextAsync("What type of organisation");
        await Assertions.Expect(console.Page.Locator("#results-title")).ToContainTextAsync("live: for you only");
        // The live journey: the respondent's stage counted as the answer to "journey.stage", named from the model.
        await Assertions.Expect(console.Page.Locator("#results details[data-question='journey.stage'] .q-text")).ToHaveTextAsync("Stage: Your council on the social media journey");

        // A group of one is below the threshold: choosing it shows that it is hidden, and nothing of it.
        await console.Page.Locator("#group").SelectOptionAsync(new SelectOptionValue { Label = (await console.Page.Locator("#group option", new() { HasText = "hidden" }).First.InnerTextAsync()).Trim() });
        await Assertions.Expect(console.Page.Locator("#results")).ToContainTextAsync("This group is hidden");
        await console.Page.Locator("#group").SelectOptionAsync("");
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(console.Page));
        await console.ScreenshotsAsync("survey-filling");
    }

    [Fact]
    public async Task MakeARelease_IsRefusedWithHowManyMoreAreNeeded_ThenMadeOnceEnoughHaveResponded()
    {
        var surveyId = await ConsoleDriver.PutSurveyAsync(fixture, "console-release", minGroupSize: 3);
        var console = await OpenConsoleAsync();
        await console.SignInAsOwnerAsync();
        await console.OpenAsync(surveyId);

        await console.Button("Make a release").ClickAsync();
        await Assertions.Expect(console.ReleaseMessage).ToContainTextAsync("No release yet: it needs 3 more respondents.");
        await Assertions.Expect(console.ReleaseMessage).ToBeFocusedAsync();
        await Assertions.Expect(console.Page.Locator("#no-releases")).ToBeVisibleAsync();
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(console.Page));

        // Six, three alike and three alike: with a threshold of 3, a release of them can show something.
        for (var i = 0; i < 6; i++) await ConsoleDriver.SubmitAsync(fixture, surveyId, variant: i);
        await console.ExpectRespondentsAsync(6);
        await console.Button("Make a release").ClickAsync();

        await Assertions.Expect(console.ReleaseMessage).ToContainTextAsync("Release 1 made: 6 respondents");
        await Assertions.Expect(console.Page.Locator("#release-table tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(console.Page.Locator("#report-release option").First).ToHaveTextAsync(new Regex("^Release 1 "));
        await console.ScreenshotsAsync("release-made");
    }

    [Fact]
    public async Task PublishAReportFromARelease_OpensItsPage_AndItsMailingToTheLoopbackSendGridCompletes()
    {
        var surveyId = await ConsoleDriver.PutSurveyAsync(fixture, "console-report", minGroupSize: 3);
        await ConsoleDriver.SubmitAsync(fixture, surveyId, "ana@example.gov.uk", variant: 0);
        await ConsoleDriver.SubmitAsync(fixture, surveyId, "bo@example.gov.uk", variant: 1);
        for (var i = 0; i < 4; i++) await ConsoleDriver.SubmitAsync(fixture, surveyId, variant: i);
        var console = await OpenConsoleAsync();
        await console.SignInAsOwnerAsync();
        await console.OpenAsync(surveyId);
        await console.ExpectRespondentsAsync(6);

        // Close the survey from its definition, so the mailing can finish; then freeze a release.
        var closed = (await console.Definition.InputValueAsync()).Replace("\"status\": \"open\"", "\"status\": \"closed\"", StringComparison.Ordinal);
        await console.Definition.FillAsync(closed);
        await console.Button("Save the definition").ClickAsync();
        await Assertions.Expect(console.DefinitionMessage).ToContainTextAsync("Saved");
        await Assertions.Expect(console.Page.Locator("#survey-meta")).ToContainTextAsync("Status closed");
        await console.Button("Make a release").ClickAsync();
        await Assertions.Expect(console.ReleaseMessage).ToContainTextAsync("Release 1 made");

        await console.Page.Locator("#report-title").FillAsync("Social media in councils, 2026");
        await console.Page.Locator("#report-summary").FillAsync("Councils are **on the journey**.\n\n- most post daily");
        await Assertions.Expect(console.Page.Locator("#preview strong")).ToHaveTextAsync("on the journey");
        await Assertions.Expect(console.Page.Locator("#preview li")).ToHaveTextAsync("most post daily");
        await Assertions.Expect(console.Page.Locator("#report-release")).ToHaveValueAsync("1");
        await console.Page.GetByLabel("This is the survey's final report").CheckAsync();
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(console.Page));
        await console.Button("Publish the report").ClickAsync();

        await Assertions.Expect(console.PublishMessage).ToContainTextAsync("Published, showing release 1");
        var link = console.PublishMessage.GetByRole(AriaRole.Link, new() { Name = "The report page" });
        var reportId = (await link.GetAttributeAsync("href"))!.Split('/')[^1];
        await Assertions.Expect(console.PublishMessage.GetByRole(AriaRole.Link, new() { Name = "The figures as CSV" })).ToHaveAttributeAsync("href", $"reports/{reportId}/results.csv");
        await Assertions.Expect(console.PublishMessage.GetByRole(AriaRole.Link, new() { Name = "The slides" })).ToHaveAttributeAsync("href", $"reports/{reportId}/slides");

        // The mailing, refreshed while the page is open: two recipients, both sent, complete.
        var row = console.Page.Locator($"#mailing-table tr[data-report='{reportId}']");
        await Assertions.Expect(row.Locator("[data-field='status']")).ToHaveTextAsync("complete", new() { Timeout = 100_000 });
        await Assertions.Expect(row.Locator("[data-field='recipients']")).ToHaveTextAsync("2");
        await Assertions.Expect(row.Locator("[data-field='sent']")).ToHaveTextAsync("2");
        await Assertions.Expect(row.Locator("[data-field='failed']")).ToHaveTextAsync("0");
        await Assertions.Expect(row.Locator("[data-field='pending']")).ToHaveTextAsync("0");
        Assert.Equal(["ana@example.gov.uk", "bo@example.gov.uk"], fixture.SendGrid.Accepted(reportId).SelectMany(r => r.Recipients).Order(StringComparer.Ordinal));
        // Published as the final report: its addresses go after the retention period.
        Assert.Contains("\"final\":true", await fixture.Host.Admin.GetStringAsync($"api/admin/reports/{reportId}/deliveries"));
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(console.Page));
        await console.ScreenshotsAsync("report-published");

        await link.ClickAsync();
        await Assertions.Expect(console.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Social media in councils, 2026");
        await Assertions.Expect(console.Page.Locator("strong", new() { HasText = "on the journey" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task APoisonMessage_IsCounted_AndReplayEmptiesItsQueue()
    {
        var poison = new QueueClient(fixture.Azurite.ConnectionString, QueueNames.Submissions + QueueNames.PoisonSuffix,
            new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        // A reference to a submission that is not there (as after a replay of one already processed): harmless to replay.
        await poison.SendMessageAsync($"{{\"surveyId\":\"{BrowserFixture.SurveyId}\",\"submissionId\":\"{Guid.NewGuid()}\"}}");
        var console = await OpenConsoleAsync();
        await console.SignInAsOwnerAsync();

        var row = console.Page.Locator("#poison-table tr[data-queue='submissions']");
        await Assertions.Expect(row.Locator("[data-field='waiting']")).ToHaveTextAsync("1", new() { Timeout = 20_000 });
        await console.ScreenshotsAsync("poison-waiting");
        await row.GetByRole(AriaRole.Button, new() { Name = "Replay 1" }).ClickAsync();

        await Assertions.Expect(console.Status).ToHaveTextAsync("Replayed 1 message from submissions.");
        await Assertions.Expect(console.Page.Locator("#poison-message")).ToHaveTextAsync("Replayed 1 message from submissions.");
        await Assertions.Expect(row.Locator("[data-field='waiting']")).ToHaveTextAsync("0");
        await Assertions.Expect(row).ToContainTextAsync("Nothing to replay");
        Assert.Equal(0, (await poison.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task ASubmissionNeverProcessed_IsShownWithTheDateItsReportAddressGoes()
    {
        // A submission the sweeper gave up on (its message in poison, re-sent three times), with a sealed address.
        var surveyId = await ConsoleDriver.PutSurveyAsync(fixture, "console-stuck");
        var keepUntil = new DateTimeOffset(2031, 3, 14, 12, 0, 0, TimeSpan.Zero); // midday, so any time zone shows the 14th
        var submissions = new Azure.Data.Tables.TableClient(fixture.Azurite.ConnectionString, TableNames.Submissions);
        var pending = new Azure.Data.Tables.TableEntity(surveyId, SubmissionStore.PendingRowKey(new string('c', 64)))
        {
            ["SubmissionId"] = Guid.NewGuid().ToString(), ["AnswersJson"] = "{\"chosen\":{}}", ["SealedAddress"] = "sealed", ["KeepAddressUntil"] = keepUntil,
            ["State"] = "Enqueued", ["Sweeps"] = SubmissionStore.MaxSweeps,
        };
        await submissions.AddEntityAsync(pending);
        try
        {
            var console = await OpenConsoleAsync();
            await console.SignInAsOwnerAsync();
            var row = console.Page.Locator("#poison-table tr[data-queue='stuck-submissions']");
            await Assertions.Expect(row.Locator("[data-field='waiting']")).ToHaveTextAsync("1", new() { Timeout = 20_000 });
            await Assertions.Expect(row.Locator("[data-field='addresses']")).ToContainTextAsync("1 still holds a report address, removed from 14 Mar 2031");
            await Assertions.Expect(row.Locator("[data-field='addresses']")).ToContainTextAsync("(7 days after arrival)");
            Assert.Empty(await BrowserFixture.AxeViolationsAsync(console.Page));
            await console.ScreenshotsAsync("stuck-submission");
        }
        finally
        {
            await submissions.DeleteEntityAsync(pending.PartitionKey, pending.RowKey);
        }
    }

    private static HttpRequestMessage CrossSitePost(string surveyId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/surveys/{surveyId}/responses")
        {
            Content = new StringContent($$"""{ "submissionId": "{{Guid.NewGuid()}}", "answers": {} }""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", "http://127.0.0.2:8080");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        return request;
    }
}
