using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SurveyBackend.Intake;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Integration.Intake;

[Collection(IntakeCollection.Name)]
public sealed class SubmitResponseTests(IntakeFixture stack)
{
    public static string Body(string id, string answers = """ "organisationType": "county", "region": "wales", "role": "digital", "channels": ["twitter", "facebook"], "maturity": "engage", "customerService": "process", "teamSize": "1-2", "challenge": "skills" """, string extra = "") =>
        $$"""{ "submissionId": "{{id}}", "answers": { {{answers}} } {{extra}} }""";

    private static string NewId() => Guid.NewGuid().ToString();

    private static async Task<JsonNode> JsonOf(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    [Fact]
    public async Task Submit_Valid_Returns202WithReceipt_StoresOnePendingRow_AndSendsOneReferenceOnlyMessage()
    {
        var id = NewId();
        using var response = await stack.PostAsync(Body(id));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await JsonOf(response);
        Assert.Equal(id, (string?)body["receipt"]);
        Assert.Equal("accepted", (string?)body["status"]);

        var row = await stack.FindRowAsync(id);
        Assert.NotNull(row);
        Assert.Equal(nameof(SubmissionState.Pending), row.GetString("State"));
        Assert.Equal(id, row.GetString("SubmissionId"));
        // The one shape of answers: a list for every question, single choice included.
        var answers = JsonNode.Parse(row.GetString("AnswersJson")!)!["chosen"]!;
        Assert.Equal(["county"], answers["organisationType"]!.AsArray().Select(a => (string?)a));
        Assert.Equal(["twitter", "facebook"], answers["channels"]!.AsArray().Select(a => (string?)a));
        Assert.NotNull(await stack.FindKeyRowAsync(id));
        Assert.Equal(1, stack.Queue.SentCount(id));

        var message = (await stack.QueuedMessagesAsync()).Single(m => (string?)m["submissionId"] == id);
        Assert.Equal(RepoPaths.SampleSurveyId, (string?)message["surveyId"]);
        Assert.Equal(2, message.AsObject().Count);
    }

    [Fact]
    public async Task Submit_WithContactDetails_KeepsOnlyTheConsentedEmail_NeverNameOrganisationIpOrUserAgent()
    {
        var id = NewId();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/surveys/{RepoPaths.SampleSurveyId}/responses")
        {
            Content = new StringContent(Body(id, extra: """, "respondent": { "email": " Jo@Example.GOV.uk ", "name": "Jo Bloggs", "organisation": "Anyshire CC", "wantsReport": true, "consent": true } """),
                System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.UserAgent.ParseAdd("SpecialAgent/7.1");
        request.Headers.Referrer = new Uri("https://referrer.example/page");
        using var response = await stack.Host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var row = (await stack.FindRowAsync(id))!;
        // Sealed at intake (normalised: trimmed, the case as given; padded to one size): never in clear beside the answers.
        var seal = stack.Host.Services.GetRequiredService<SurveyBackend.Privacy.RecipientSeal>();
        Assert.Equal("Jo@Example.GOV.uk", seal.OpenAddress(RepoPaths.SampleSurveyId, row.GetString("SealedAddress")!)!.Value.Email);
        var stored = string.Join("|", row.Select(p => $"{p.Key}={p.Value}"));
        foreach (var forbidden in new[] { "jo@", "example.gov.uk", "Jo Bloggs", "Anyshire", "SpecialAgent", "referrer.example", "127.0.0.1" })
            Assert.DoesNotContain(forbidden, stored, StringComparison.OrdinalIgnoreCase);
        // No property says when it arrived: the day it keeps the address until is midnight, a week on.
        Assert.Equal(TimeSpan.Zero, row.GetDateTimeOffset("KeepAddressUntil")!.Value.TimeOfDay);
        Assert.InRange(row.GetDateTimeOffset("KeepAddressUntil")!.Value - DateTimeOffset.UtcNow, TimeSpan.FromDays(7), TimeSpan.FromDays(8));
        Assert.Equal(
            new[] { "AnswersJson", "KeepAddressUntil", "PartitionKey", "RowKey", "SealedAddress", "State", "SubmissionId" },
            row.Keys.Where(k => k is not ("Timestamp" or "odata.etag") && !k.EndsWith("@odata.type", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Submit_WithoutConsent_DoesNotKeepTheEmail()
    {
        var id = NewId();
        using var response = await stack.PostAsync(Body(id, extra: """, "respondent": { "email": "jo@example.gov.uk", "wantsReport": true, "consent": false } """));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Null((await stack.FindRowAsync(id))!.GetString("SealedAddress"));
    }

    [Fact]
    public async Task Submit_OtherText_IsStoredForAnAllowOtherQuestion()
    {
        var id = NewId();
        using var response = await stack.PostAsync(Body(id, """ "organisationType": "county", "region": "wales", "role": "digital", "channels": ["twitter", "other"], "maturity": "engage", "customerService": "process", "teamSize": "1-2", "challenge": "skills" """,
            """, "other": { "channels": "Nextdoor-style local forum" }"""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("Nextdoor-style local forum", (string?)JsonNode.Parse((await stack.FindRowAsync(id))!.GetString("AnswersJson")!)!["other"]!["channels"]);
    }

    [Fact]
    public async Task Submit_SameIdAgain_WithADifferentBody_Returns200SameReceipt_KeepsTheFirst_OneRowOneMessage()
    {
        var id = NewId();
        using var first = await stack.PostAsync(Body(id));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);

        using var same = await stack.PostAsync(Body(id));
        using var different = await stack.PostAsync(Body(id.ToUpperInvariant()).Replace("\"county\"", "\"district\"", StringComparison.Ordinal));

        foreach (var repeat in new[] { same, different })
        {
            Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
            var body = await JsonOf(repeat);
            Assert.Equal(id, (string?)body["receipt"]);
            Assert.Equal("accepted", (string?)body["status"]);
        }
        var rows = await stack.Submissions.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"SubmissionId eq {id}")).ToListAsync();
        Assert.Single(rows);
        Assert.Equal("county", (string?)JsonNode.Parse(rows[0].GetString("AnswersJson")!)!["chosen"]!["organisationType"]![0]);
        Assert.Equal(1, stack.Queue.SentCount(id));
        Assert.Equal(1, await stack.QueuedCountAsync(id));
    }

    [Fact]
    public async Task Submit_SameIdAfterProcessing_Returns200SameReceipt_AndChangesNothing()
    {
        var id = NewId();
        (await stack.PostAsync(Body(id))).Dispose();
        // What the anonymiser does once it has processed the submission: the pending row goes, the key row stays as the tombstone.
        var store = stack.Host.Services.GetRequiredService<SubmissionStore>();
        await store.CompleteAsync(RepoPaths.SampleSurveyId, stack.Keys.ForSubmission(RepoPaths.SampleSurveyId, id), address: null, default);

        using var repeat = await stack.PostAsync(Body(id));
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(id, (string?)(await JsonOf(repeat))["receipt"]);

        Assert.Null(await stack.FindRowAsync(id));
        var tombstone = (await stack.FindKeyRowAsync(id))!;
        Assert.Empty(tombstone.Keys.Except(["PartitionKey", "RowKey", "Timestamp", "odata.etag"]));
        Assert.Equal(1, stack.Queue.SentCount(id));
    }

    [Fact]
    public async Task Submit_ConcurrentRepeats_StoreOneRowAndOneMessage()
    {
        var id = NewId();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => stack.PostAsync(Body(id))));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Accepted);
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        foreach (var r in responses) r.Dispose();
        Assert.Equal(1, stack.Queue.SentCount(id));
    }

    [Fact]
    public async Task Submit_WithHoneypotFilled_Returns202LikeSuccess_AndStoresAndSendsNothing()
    {
        var id = NewId();
        using var response = await stack.PostAsync(Body(id, extra: """, "website": "http://cheap-pills.example" """));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await JsonOf(response);
        Assert.Equal(id, (string?)body["receipt"]);
        Assert.Equal("accepted", (string?)body["status"]);
        Assert.Null(await stack.FindRowAsync(id));
        Assert.Equal(0, stack.Queue.SentCount(id));
    }

    [Fact]
    public async Task Submit_WithHoneypotFilled_AndInvalidAnswers_StillReturns202()
    {
        var id = NewId();
        using var response = await stack.PostAsync(Body(id, """ "colour": "red" """, """, "website": "x" """));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Null(await stack.FindRowAsync(id));
    }

    [Fact]
    public async Task Submit_WhenEnqueueFails_Returns202_RowStaysPending_ThenTheSweeperSendsItExactlyOnce()
    {
        var id = NewId();
        stack.Queue.FailNextSendOf(id);
        using var response = await stack.PostAsync(Body(id));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(nameof(SubmissionState.Pending), (await stack.FindRowAsync(id))!.GetString("State"));
        Assert.Equal(0, stack.Queue.SentCount(id));
        Assert.Equal(0, await stack.QueuedCountAsync(id));

        var store = stack.Host.Services.GetRequiredService<SubmissionStore>();
        var catalog = stack.Host.Services.GetRequiredService<SurveyCatalog>();
        PendingSweeper Sweeper(TimeSpan age) => new(catalog, store, stack.Queue, Options.Create(new IntakeOptions { SweepAge = age }), TimeProvider.System, NullLogger<PendingSweeper>.Instance);

        // Too young for the default age: an intake may still be sending it.
        await Sweeper(TimeSpan.FromMinutes(2)).SweepAsync(default);
        Assert.Equal(0, stack.Queue.SentCount(id));

        await Sweeper(TimeSpan.Zero).SweepAsync(default);
        // Swept a moment ago: not again within the sweep age, while its re-sent message is still being processed.
        await Sweeper(TimeSpan.FromMinutes(2)).SweepAsync(default);
        Assert.Equal(1, stack.Queue.SentCount(id));
        Assert.Equal(nameof(SubmissionState.Enqueued), (await stack.FindRowAsync(id))!.GetString("State"));
        Assert.Equal(1, await stack.QueuedCountAsync(id));
    }

    [Fact]
    public async Task Sweeper_ReSendsARowStillUnprocessedAfterItsReSend_ButAtMostMaxSweepsTimes()
    {
        // A re-sent message can be taken by an instance that dies; the row must not wait out the queue's lease.
        var id = NewId();
        stack.Queue.FailNextSendOf(id);
        using var response = await stack.PostAsync(Body(id));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var store = stack.Host.Services.GetRequiredService<SubmissionStore>();
        var catalog = stack.Host.Services.GetRequiredService<SurveyCatalog>();
        var now = DateTimeOffset.UtcNow;
        for (var sweep = 1; sweep <= SubmissionStore.MaxSweeps + 2; sweep++)
        {
            // Each sweep a little later than the last one's mark, past the sweep age.
            var clock = new FixedClock(now + TimeSpan.FromMinutes(3 * sweep));
            await new PendingSweeper(catalog, store, stack.Queue, Options.Create(new IntakeOptions { SweepAge = TimeSpan.FromMinutes(2) }), clock, NullLogger<PendingSweeper>.Instance).SweepAsync(default);
        }
        Assert.Equal(SubmissionStore.MaxSweeps, stack.Queue.SentCount(id));
        Assert.Equal(SubmissionStore.MaxSweeps, (await stack.FindRowAsync(id))!.GetInt32("Sweeps"));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public async Task Submit_Logs_CarrySurveyIdAndReceiptPrefix_NeverContactsAnswersOrTheFullId()
    {
        var id = NewId();
        using var response = await stack.PostAsync(Body(id, """ "organisationType": "county", "region": "wales", "role": "digital", "channels": ["other"], "maturity": "engage", "customerService": "process", "teamSize": "1-2", "challenge": "skills" """,
            """, "other": { "channels": "Zyxwv secret forum" }, "respondent": { "email": "logcheck@example.gov.uk", "name": "Quentin Logtest", "organisation": "Logshire CC", "wantsReport": true, "consent": true }"""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var invalid = await stack.PostAsync(Body(NewId(), """ "organisationType": "county", "logcheck@example.gov.uk": "x" """));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);

        var lines = stack.Logs.Lines.ToList();
        Assert.Contains(lines, l => l.Contains(RepoPaths.SampleSurveyId, StringComparison.Ordinal) && l.Contains(id[..8], StringComparison.Ordinal));
        foreach (var forbidden in new[] { "logcheck@", "Quentin", "Logshire", "Zyxwv", id })
            Assert.DoesNotContain(lines, l => l.Contains(forbidden, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Submit_InWelsh_GivesWelshMessages_AtTheSamePathsAsEnglish()
    {
        var answers = """ "organisationType": "county", "channels": ["twitter", "atlantis"] """;
        using var english = await stack.PostAsync(Body(NewId(), answers));
        using var welsh = await stack.PostAsync(Body(NewId(), answers, extra: ", \"lang\": \"cy\""));
        using var byHeader = new HttpRequestMessage(HttpMethod.Post, $"api/surveys/{RepoPaths.SampleSurveyId}/responses")
        {
            Content = new StringContent(Body(NewId(), answers), System.Text.Encoding.UTF8, "application/json"),
        };
        byHeader.Headers.Add("Accept-Language", "cy-GB, en;q=0.5");
        using var welshByHeader = await stack.Host.Client.SendAsync(byHeader);

        var en = (await JsonOf(english))["errors"]!.AsObject();
        foreach (var response in new[] { welsh, welshByHeader })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var cy = (await JsonOf(response))["errors"]!.AsObject();
            Assert.Equal(en.Select(e => e.Key).Order(), cy.Select(e => e.Key).Order());
            Assert.Equal("Mae angen ateb y cwestiwn hwn.", (string?)cy["answers.region"]![0]);
            Assert.Equal("Nid oes opsiwn ‘atlantis’ yn y cwestiwn hwn.", (string?)cy["answers.channels[1]"]![0]);
            Assert.All(cy, e => Assert.NotEqual((string?)en[e.Key]![0], (string?)e.Value![0]));
        }
    }
}
