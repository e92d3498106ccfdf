using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SurveyBackend.Anonymity;
using SurveyBackend.Privacy;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using SurveyBackend.Testing;
using SurveyBackend.Tests.Integration.Aggregation;

namespace SurveyBackend.Tests.Integration.Anonymity;

/// <summary>
/// A local host whose own flush never runs (its timer fires on 1 January), so the tests drive the pool of waiting
/// addresses and their own flushers, with a clock they set, against the same Azurite.
/// </summary>
public sealed class PendingFixture : StackFixture
{
    public const string Secret = "pending-tests-secret-that-is-long-enough-0000";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Anonymity:Secret"] = Secret,
        ["RecipientFlushSchedule"] = "0 0 0 1 1 *",
        ["Intake:RequestsPerMinute"] = "0",
    };
}

public sealed partial class PendingRecipientTests(PendingFixture fixture) : IClassFixture<PendingFixture>
{
    private const string OtherSecret = "a-different-secret-that-is-long-enough-00000";

    private readonly TableServiceClient _tables = new(fixture.Azurite.ConnectionString);
    private readonly ManualClock _clock = new();

    [Fact]
    public async Task PostedThroughIntake_TheAddressWaitsSealed_AtOneSize_UnderAKeyThatSaysNothing()
    {
        var survey = (await fixture.Host.Services.GetRequiredService<SurveyCatalog>().FindAsync(RepoPaths.SampleSurveyId, CancellationToken.None))!.Definition;
        var submission = Submission.Random(survey, 70_000, new Random(70)) with { Email = "Pending.Person@Example.ORG" };
        var body = JsonSerializer.Serialize(new
        {
            submissionId = submission.SubmissionId,
            answers = submission.Answers,
            other = submission.Other,
            respondent = new { email = submission.Email, name = "Pat Pending", organisation = "Pendleshire Council", wantsReport = true, consent = true },
            website = "",
        });
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var posted = await fixture.Host.Client.PostAsync($"api/surveys/{survey.Id}/responses", content);
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);

        var keys = fixture.Host.Services.GetRequiredService<PrivacyKeys>();
        var submissionKey = keys.ForSubmission(survey.Id, submission.SubmissionId);
        var waitingKey = PendingRecipientStore.WaitingPrefix + keys.ForWaiting(survey.Id, submissionKey);
        var row = await Eventually.GetAsync(() => FindAsync(survey.Id, waitingKey), r => r is not null, TimeSpan.FromSeconds(60), "the address to reach the pool");
        Assert.Empty(row!.Keys.Except(["PartitionKey", "RowKey", "Timestamp", "odata.etag", "Sealed"]));
        Assert.Matches(Hex64Key(), row.RowKey);
        Assert.Equal(SealLength, row.GetString("Sealed")!.Length);
        // The raw row went in the same transaction that kept the address: only the key row (the tombstone) is left.
        Assert.Null(await new SubmissionStore(_tables).FindAsync(survey.Id, submissionKey, CancellationToken.None));

        var text = string.Join(" ", row.Select(p => $"{p.Key}={p.Value}"));
        foreach (var secret in new[] { "pending.person", "example.org", "Pat Pending", "Pendleshire", submission.SubmissionId, submissionKey, keys.ForResponse(survey.Id, submission.SubmissionId) })
        {
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        }
        // The address as given (mail goes to it so); its keys are of the case-folded form.
        Assert.Equal("Pending.Person@Example.ORG", Seal(PendingFixture.Secret).OpenAddress(survey.Id, row.GetString("Sealed")!)!.Value.Email);
    }

    [Fact]
    public async Task ThePoolsState_CountsOnlyWaitingAddresses_AndTakeAndDeleteSpanPagesAndTransactions()
    {
        var store = Store();
        var survey = NewSurveyId();
        Assert.Equal(0, (await store.ReadStateAsync(survey, CancellationToken.None)).Waiting);
        for (var i = 0; i < 250; i++) await AddAsync(survey, $"sealed-{i:D3}");
        // The survey's other rows, key rows, pending rows, unreadable addresses and mailing marks, are not in the pool.
        var submissions = new SubmissionStore(_tables);
        Assert.True(await submissions.TryAddAsync(survey, new string('a', 64), Raw(), CancellationToken.None));
        await _tables.GetTableClient(TableNames.Submissions).AddEntityAsync(new TableEntity(survey, PendingRecipientStore.UnreadablePrefix + PendingRecipientStore.RandomKey()) { ["Sealed"] = "x" });
        await store.MarkFlushedForAsync(survey, "a-report", CancellationToken.None);
        Assert.Equal(250, (await store.ReadStateAsync(survey, CancellationToken.None)).Waiting);

        var some = await store.TakeAsync(survey, 120, CancellationToken.None);
        Assert.Equal(120, some.Select(p => p.RowKey).Distinct().Count());
        var all = await store.TakeAsync(survey, 10_000, CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 250).Select(i => $"sealed-{i:D3}"), all.Select(p => p.Sealed).Order());

        // 120 rows in two transactions, then all 250 (120 already gone) in three.
        await store.DeleteAsync(survey, some.Select(p => p.RowKey), CancellationToken.None);
        Assert.Equal(130, (await store.ReadStateAsync(survey, CancellationToken.None)).Waiting);
        await store.DeleteAsync(survey, all.Select(p => p.RowKey), CancellationToken.None);
        Assert.Equal(0, (await store.ReadStateAsync(survey, CancellationToken.None)).Waiting);
        Assert.NotNull(await submissions.FindAsync(survey, new string('a', 64), CancellationToken.None));
        Assert.True(await store.WasFlushedForAsync(survey, "a-report", CancellationToken.None));
        Assert.False(await store.WasFlushedForAsync(survey, "another-report", CancellationToken.None));
    }

    [Fact]
    public async Task Flush_WritesNothingBelowTen_ThenEveryAddressAtOnce_InOneWrite_AndEmptiesThePool()
    {
        var (surveyA, surveyB) = (await NewSurveyAsync(), await NewSurveyAsync());
        var seal = Seal(PendingFixture.Secret);
        for (var i = 0; i < 9; i++) await AddAsync(surveyA, seal.SealAddress(surveyA, $"early{i}@example.org", null)!);
        Assert.Equal(0, await Flusher().FlushAsync(CancellationToken.None));
        Assert.Empty(await RecipientsAsync(surveyA));

        // The tenth, and a second copy of one address (one recipient): ten distinct addresses land together.
        await AddAsync(surveyA, seal.SealAddress(surveyA, "tenth@example.org", "cy")!);
        await AddAsync(surveyA, seal.SealAddress(surveyA, "early0@example.org", null)!);
        // Another survey with 150: more than a transaction's worth, all written in the same flush.
        var many = Enumerable.Range(0, 150).Select(i => $"flush{i:D3}@example.org").ToList();
        foreach (var email in many) await AddAsync(surveyB, seal.SealAddress(surveyB, email, null)!);

        Assert.Equal(161, await Flusher().FlushAsync(CancellationToken.None));
        var landed = await RecipientRowsAsync(surveyA);
        Assert.Equal(Enumerable.Range(0, 9).Select(i => $"early{i}@example.org").Append("tenth@example.org").Order(), landed.Select(r => r.GetString("Email")).Order());
        // One transaction: storage stamps its rows at one moment (Azurite a tick apart, in the transaction's random order).
        Assert.InRange(landed.Max(r => r.Timestamp)!.Value - landed.Min(r => r.Timestamp)!.Value, TimeSpan.Zero, TimeSpan.FromMilliseconds(10));
        Assert.Equal("cy", landed.Single(r => r.GetString("Email") == "tenth@example.org").GetString("Language"));
        Assert.Equal(many, (await RecipientsAsync(surveyB)).Order());
        Assert.Equal(0, (await Store().ReadStateAsync(surveyA, CancellationToken.None)).Waiting);
        Assert.Equal(0, (await Store().ReadStateAsync(surveyB, CancellationToken.None)).Waiting);
    }

    [Fact]
    public async Task AMailing_WritesWhateverWaitsOnItsFirstRun_ThenLaterAddressesWaitForTenOrTheNextMailing_OrTheClose()
    {
        var survey = await NewSurveyAsync();
        var seal = Seal(PendingFixture.Secret);
        foreach (var i in Enumerable.Range(0, 4)) await AddAsync(survey, seal.SealAddress(survey, $"first{i}@example.org", null)!);

        // Four respondents, and a report: all four are mailed.
        Assert.Equal(4, await Flusher().FlushForMailingAsync(survey, "report-1", CancellationToken.None));
        Assert.Equal(4, (await RecipientsAsync(survey)).Count);

        // Two more while the survey stays open: the same mailing's later runs leave them waiting, the timer too.
        foreach (var i in Enumerable.Range(0, 2)) await AddAsync(survey, seal.SealAddress(survey, $"later{i}@example.org", null)!);
        Assert.Equal(0, await Flusher().FlushForMailingAsync(survey, "report-1", CancellationToken.None));
        Assert.Equal(0, await Flusher().FlushAsync(CancellationToken.None));
        Assert.Equal(4, (await RecipientsAsync(survey)).Count);

        // The next mailing takes them.
        Assert.Equal(2, await Flusher().FlushForMailingAsync(survey, "report-2", CancellationToken.None));
        Assert.Equal(6, (await RecipientsAsync(survey)).Count);

        // One more, then the survey closes: with no submission left that holds an address, the mailing writes the last.
        await AddAsync(survey, seal.SealAddress(survey, "last@example.org", null)!);
        Assert.Equal(0, await Flusher().FlushForMailingAsync(survey, "report-2", CancellationToken.None));
        _clock.Now = new DateTimeOffset(2031, 6, 1, 0, 0, 0, TimeSpan.Zero); // after the sample survey closes
        var pending = new SubmissionStore(_tables);
        Assert.True(await pending.TryAddAsync(survey, new string('b', 64), Raw() with { SealedAddress = seal.SealAddress(survey, "inflight@example.org", null) }, CancellationToken.None));
        Assert.Equal(0, await Flusher().FlushForMailingAsync(survey, "report-2", CancellationToken.None));
        await pending.CompleteAsync(survey, new string('b', 64), address: null, CancellationToken.None);
        Assert.Equal(1, await Flusher().FlushForMailingAsync(survey, "report-2", CancellationToken.None));
        Assert.Contains("last@example.org", await RecipientsAsync(survey));
    }

    [Fact]
    public async Task UnreadableAddresses_DoNotCountTowardsTheTen_AreSetAside_ShownToTheAdmin_AndReplayedWithoutLoss()
    {
        var survey = await NewSurveyAsync();
        var seal = Seal(PendingFixture.Secret);
        foreach (var i in Enumerable.Range(0, 9)) await AddAsync(survey, seal.SealAddress(survey, $"readable{i}@example.org", null)!);
        await AddAsync(survey, Seal(OtherSecret).SealAddress(survey, "old-secret@example.org", null)!);
        await AddAsync(survey, Convert.ToBase64String(new byte[48]));
        var before = await UnreadableListedAsync();

        // Eleven wait, nine of them readable: the two are set aside and the nine wait for a tenth.
        Assert.Equal(0, await Flusher().FlushAsync(CancellationToken.None));
        Assert.Empty(await RecipientsAsync(survey));
        Assert.Equal(9, (await Store().ReadStateAsync(survey, CancellationToken.None)).Waiting);
        Assert.Equal(before + 2, await UnreadableListedAsync());

        await AddAsync(survey, seal.SealAddress(survey, "readable9@example.org", null)!);
        Assert.Equal(10, await Flusher().FlushAsync(CancellationToken.None));

        // The admin finds that the secret was changed, puts the old one back, and replays.
        using var replay = await fixture.Host.Admin.PostAsync($"api/admin/poison/{PoisonEndpoints.Recipients}/replay", null);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.True((int)JsonNode.Parse(await replay.Content.ReadAsStringAsync())!["replayed"]! >= 2);
        Assert.Equal(0, await UnreadableListedAsync());
        Assert.Equal(1, await Flusher(secret: OtherSecret).FlushForMailingAsync(survey, "a-report", CancellationToken.None));
        Assert.Contains("old-secret@example.org", await RecipientsAsync(survey));
        // The tampered one opens under neither secret: set aside again, not lost.
        Assert.True(await UnreadableListedAsync() >= 1);
    }

    [Fact]
    public async Task CrashBetweenWritingAndDeleting_TheNextFlushRewritesHarmlessly_AndEmptiesThePool()
    {
        var survey = await NewSurveyAsync();
        var seal = Seal(PendingFixture.Secret);
        var emails = Enumerable.Range(0, 120).Select(i => $"crash{i:D3}@example.org").ToList();
        foreach (var email in emails) await AddAsync(survey, seal.SealAddress(survey, email, null)!);

        // The recipients are written (two transactions), then every transaction fails: a crash at the pool's delete.
        var failing = new FailTransactionsAfter(2);
        var options = new TableClientOptions();
        options.AddPolicy(failing, HttpPipelinePosition.PerCall);
        var crashing = new TableServiceClient(fixture.Azurite.ConnectionString, options);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Flusher(tables: crashing).FlushAsync(CancellationToken.None));
        Assert.True(failing.Failed > 0);
        Assert.Equal(emails, (await RecipientsAsync(survey)).Order());
        Assert.Equal(emails.Count, (await Store().ReadStateAsync(survey, CancellationToken.None)).Waiting);

        Assert.Equal(emails.Count, await Flusher().FlushAsync(CancellationToken.None));
        Assert.Equal(emails, (await RecipientsAsync(survey)).Order());
        Assert.Equal(0, (await Store().ReadStateAsync(survey, CancellationToken.None)).Waiting);
    }

    private static readonly int SealLength = 4 * ((12 + RecipientSeal.PaddedBytes + 16 + 2) / 3);

    private PendingRecipientStore Store(TableServiceClient? tables = null) => new(tables ?? _tables);

    private RecipientFlusher Flusher(TableServiceClient? tables = null, string secret = PendingFixture.Secret)
    {
        var privacy = Options.Create(new PrivacyOptions { Secret = secret });
        return new RecipientFlusher(
            fixture.Host.Services.GetRequiredService<SurveyCatalog>(),
            Store(tables),
            new SubmissionStore(_tables),
            new RecipientStore(tables ?? _tables),
            new RecipientSeal(privacy),
            new PrivacyKeys(privacy),
            Options.Create(new AnonymityOptions()),
            _clock,
            NullLogger<RecipientFlusher>.Instance);
    }

    private static RecipientSeal Seal(string secret) => new(Options.Create(new PrivacyOptions { Secret = secret }));

    private static RawSubmission Raw() => new() { Answers = new Answers { Chosen = new Dictionary<string, IReadOnlyList<string>> { ["q"] = ["a"] } } };

    private static string NewSurveyId() => "pending-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A survey the host's catalog lists (the flush walks the catalog's surveys): the sample under a new id.</summary>
    private async Task<string> NewSurveyAsync()
    {
        var id = NewSurveyId();
        var json = await RepoPaths.SampleSurveyJsonAsync(id);
        using var response = await fixture.Host.PutSurveyAsync(id, json);
        response.EnsureSuccessStatusCode();
        return id;
    }

    /// <summary>Leaves a sealed address waiting, as the anonymiser's completing transaction does.</summary>
    private Task AddAsync(string surveyId, string sealedAddress) =>
        _tables.GetTableClient(TableNames.Submissions).AddEntityAsync(PendingRecipientStore.WaitingRow(surveyId, new WaitingAddress(PendingRecipientStore.RandomKey(), sealedAddress)));

    private async Task<TableEntity?> FindAsync(string surveyId, string rowKey)
    {
        var row = await _tables.GetTableClient(TableNames.Submissions).GetEntityIfExistsAsync<TableEntity>(surveyId, rowKey);
        return row.HasValue ? row.Value : null;
    }

    private async Task<List<string>> RecipientsAsync(string surveyId) => [.. (await RecipientRowsAsync(surveyId)).Select(r => r.GetString("Email"))];

    private async Task<List<TableEntity>> RecipientRowsAsync(string surveyId) =>
        await _tables.GetTableClient(TableNames.Recipients).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {surveyId}")).ToListAsync();

    private async Task<int> UnreadableListedAsync()
    {
        using var response = await fixture.Host.Admin.GetAsync("api/admin/poison");
        response.EnsureSuccessStatusCode();
        return (int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["recipients"]!["unreadable"]!;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^w\\|[0-9a-f]{64}$")]
    private static partial System.Text.RegularExpressions.Regex Hex64Key();

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>Lets the first <paramref name="allowed"/> entity-group transactions through, then fails every one before it is sent.</summary>
    private sealed class FailTransactionsAfter(int allowed) : HttpPipelineSynchronousPolicy
    {
        private int _seen;
        private int _failed;
        public int Failed => _failed;

        public override void OnSendingRequest(HttpMessage message)
        {
            if (!message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal) || Interlocked.Increment(ref _seen) <= allowed) return;
            Interlocked.Increment(ref _failed);
            throw new InvalidOperationException("Injected crash before the pending rows were deleted");
        }
    }
}
