using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Queues;
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
/// addresses and their own flushers, with a clock they move, against the same Azurite.
/// </summary>
public sealed class PendingFixture : StackFixture
{
    public const string Secret = "pending-tests-secret-that-is-long-enough-0000";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Anonymity:Secret"] = Secret,
        ["Anonymity:RecipientDelay"] = "01:00:00",
        ["RecipientFlushSchedule"] = "0 0 0 1 1 *",
        ["Intake:RequestsPerMinute"] = "0",
    };
}

public sealed class PendingRecipientTests(PendingFixture fixture) : IClassFixture<PendingFixture>, IAsyncLifetime
{
    private const string OtherSecret = "a-different-secret-that-is-long-enough-00000";
    private static readonly TimeSpan Delay = TimeSpan.FromHours(1);

    private readonly TableServiceClient _tables = new(fixture.Azurite.ConnectionString);
    private readonly ManualClock _clock = new();

    public async Task InitializeAsync()
    {
        // Every test starts with an empty pool: the flush takes everything waiting, whichever test put it there.
        var table = _tables.GetTableClient(TableNames.Submissions);
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
            if (IsPoolRow(row)) await table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task PostedThroughIntake_TheAddressWaitsSealed_WithNothingThatPointsAtTheResponse()
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

        var rows = await Eventually.GetAsync(() => WaitingRowsAsync(survey.Id), r => r.Count > 0, TimeSpan.FromSeconds(60), "the address to reach the pool");
        var row = Assert.Single(rows);
        Assert.NotNull(PendingRecipientStore.ArrivedAt(row.RowKey));
        Assert.Empty(row.Keys.Except(["PartitionKey", "RowKey", "Timestamp", "odata.etag", "Sealed"]));
        // The raw row went in the same transaction that kept the address: only the key row (the tombstone) is left.
        var submissionKey = fixture.Host.Services.GetRequiredService<PrivacyKeys>().ForSubmission(survey.Id, submission.SubmissionId);
        Assert.Null(await new SubmissionStore(_tables, _clock).FindAsync(survey.Id, submissionKey, CancellationToken.None));

        var keys = fixture.Host.Services.GetRequiredService<PrivacyKeys>();
        var text = string.Join(" ", row.Select(p => $"{p.Key}={p.Value}"));
        foreach (var secret in new[]
        {
            "pending.person", "example.org", "Pat Pending", "Pendleshire", submission.SubmissionId,
            keys.ForSubmission(survey.Id, submission.SubmissionId), keys.ForResponse(survey.Id, submission.SubmissionId),
        })
        {
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        }
        var seal = fixture.Host.Services.GetRequiredService<RecipientSeal>();
        Assert.Equal("pending.person@example.org", seal.Open(survey.Id, row.GetString("Sealed")));
    }

    [Fact]
    public async Task OldestWaiting_IsTheFirstToArrive_AndNothingWhenNoneWaits()
    {
        var store = Store();
        var survey = NewSurveyId();
        Assert.Null(await store.OldestWaitingAsync(survey, CancellationToken.None));

        var first = _clock.Now;
        await AddAsync(survey, "sealed-1");
        _clock.Now += TimeSpan.FromMinutes(5);
        await AddAsync(survey, "sealed-2");
        _clock.Now -= TimeSpan.FromMinutes(10); // an instance whose clock is behind: its row is the oldest
        await AddAsync(survey, "sealed-3");
        // Another survey's older address is not this survey's.
        _clock.Now -= TimeSpan.FromMinutes(10);
        await AddAsync(NewSurveyId(), "sealed-elsewhere");

        Assert.Equal(first - TimeSpan.FromMinutes(5), await store.OldestWaitingAsync(survey, CancellationToken.None));
    }

    [Fact]
    public async Task TakeAndDelete_SpanPagesAndTransactions_AndDeletingTwiceIsHarmless()
    {
        var store = Store();
        var survey = NewSurveyId();
        for (var i = 0; i < 250; i++)
        {
            await AddAsync(survey, $"sealed-{i:D3}");
            _clock.Now += TimeSpan.FromMilliseconds(1);
        }
        // The survey's other rows, key rows and pending rows, are not in the pool.
        var submissions = new SubmissionStore(_tables, _clock);
        Assert.True(await submissions.TryAddAsync(survey, new string('a', 64), new RawSubmission
        {
            Answers = new Answers { Chosen = new Dictionary<string, IReadOnlyList<string>> { ["q"] = ["a"] } },
            ReceivedAt = _clock.Now,
        }, CancellationToken.None));

        var some = await store.TakeAsync(survey, 120, CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 120).Select(i => $"sealed-{i:D3}"), some.Select(p => p.Sealed));
        var all = await store.TakeAsync(survey, 10_000, CancellationToken.None);
        Assert.Equal(250, all.Count);
        Assert.Equal(all.Select(p => p.RowKey).Order(StringComparer.Ordinal), all.Select(p => p.RowKey));

        // 120 rows in two transactions, then all 250 (120 already gone) in three.
        await store.DeleteAsync(survey, some.Select(p => p.RowKey), CancellationToken.None);
        Assert.Equal(130, (await store.TakeAsync(survey, 10_000, CancellationToken.None)).Count);
        await store.DeleteAsync(survey, all.Select(p => p.RowKey), CancellationToken.None);
        Assert.Empty(await store.TakeAsync(survey, 10_000, CancellationToken.None));
        Assert.Null(await store.OldestWaitingAsync(survey, CancellationToken.None));
        Assert.NotNull(await submissions.FindAsync(survey, new string('a', 64), CancellationToken.None));
    }

    [Fact]
    public async Task Flush_WritesNothingBeforeTheDelay_ThenEveryAddressOnce_AndEmptiesThePool()
    {
        var (surveyA, surveyB) = (await NewSurveyAsync(), await NewSurveyAsync());
        var seal = Seal(PendingFixture.Secret);
        var store = Store();
        var addresses = Enumerable.Range(0, 150).Select(i => (Survey: i % 3 == 0 ? surveyB : surveyA, Email: $"flush{i:D3}@example.org")).ToList();
        foreach (var (survey, email) in addresses.Append(addresses[0])) await AddAsync(survey, seal.Seal(survey, email));
        var start = _clock.Now;

        _clock.Now = start + Delay - TimeSpan.FromSeconds(1);
        Assert.Equal(0, await Flusher().FlushAsync(CancellationToken.None));
        Assert.Empty(await RecipientsAsync(surveyA));

        _clock.Now = start + Delay;
        Assert.Equal(151, await Flusher().FlushAsync(CancellationToken.None));
        Assert.Equal(addresses.Where(a => a.Survey == surveyA).Select(a => a.Email).Order(), (await RecipientsAsync(surveyA)).Order());
        Assert.Equal(addresses.Where(a => a.Survey == surveyB).Select(a => a.Email).Order(), (await RecipientsAsync(surveyB)).Order());
        Assert.Null(await store.OldestWaitingAsync(surveyA, CancellationToken.None));
        Assert.Null(await store.OldestWaitingAsync(surveyB, CancellationToken.None));
    }

    [Fact]
    public async Task Flush_HoldsTheBatchWhileSubmissionsAreQueued_UpToTheBurstLimit()
    {
        var survey = await NewSurveyAsync();
        var burst = new QueueClient(fixture.Azurite.ConnectionString, "burst-" + Guid.NewGuid().ToString("N")[..8]);
        await burst.CreateAsync();
        await burst.SendMessageAsync("a submission still waiting");
        await AddAsync(survey, Seal(PendingFixture.Secret).Seal(survey, "burst@example.org"));
        var start = _clock.Now;

        _clock.Now = start + Delay;
        Assert.Equal(0, await Flusher(backlog: burst).FlushAsync(CancellationToken.None));
        _clock.Now = start + Delay * RecipientFlusher.BurstHoldFactor - TimeSpan.FromSeconds(1);
        Assert.Equal(0, await Flusher(backlog: burst).FlushAsync(CancellationToken.None));
        _clock.Now = start + Delay * RecipientFlusher.BurstHoldFactor;
        Assert.Equal(1, await Flusher(backlog: burst).FlushAsync(CancellationToken.None));
        Assert.Equal(["burst@example.org"], await RecipientsAsync(survey));
    }

    [Fact]
    public async Task CrashBetweenWritingAndDeleting_TheNextFlushRewritesHarmlessly_AndEmptiesThePool()
    {
        var survey = await NewSurveyAsync();
        var seal = Seal(PendingFixture.Secret);
        var emails = Enumerable.Range(0, 120).Select(i => $"crash{i:D3}@example.org").ToList();
        foreach (var email in emails) await AddAsync(survey, seal.Seal(survey, email));
        _clock.Now += Delay;

        // Transactions (the pool's deletes) fail: the flush dies after writing every recipient.
        var failing = new FailTransactions();
        var options = new TableClientOptions();
        options.AddPolicy(failing, HttpPipelinePosition.PerCall);
        var crashing = new TableServiceClient(fixture.Azurite.ConnectionString, options);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Flusher(tables: crashing).FlushAsync(CancellationToken.None));
        Assert.True(failing.Failed > 0);
        Assert.Equal(emails, (await RecipientsAsync(survey)).Order());
        Assert.Equal(emails.Count, (await Store().TakeAsync(survey, 10_000, CancellationToken.None)).Count);

        Assert.Equal(emails.Count, await Flusher().FlushAsync(CancellationToken.None));
        Assert.Equal(emails, (await RecipientsAsync(survey)).Order());
        Assert.Null(await Store().OldestWaitingAsync(survey, CancellationToken.None));
    }

    [Fact]
    public async Task UnreadableAddresses_AreSetAside_ShownToTheAdmin_AndReplayedWithoutLoss()
    {
        var survey = await NewSurveyAsync();
        var store = Store();
        await AddAsync(survey, Seal(PendingFixture.Secret).Seal(survey, "readable@example.org"));
        await AddAsync(survey, Seal(OtherSecret).Seal(survey, "old-secret@example.org"));
        await AddAsync(survey, Convert.ToBase64String(new byte[48]));
        _clock.Now += Delay;

        Assert.Equal(1, await Flusher().FlushAsync(CancellationToken.None));
        Assert.Equal(["readable@example.org"], await RecipientsAsync(survey));
        // Set aside, they no longer hold up the pool.
        Assert.Null(await store.OldestWaitingAsync(survey, CancellationToken.None));
        Assert.Equal(2, await UnreadableListedAsync());

        // The admin finds that the secret was changed, puts the old one back, and replays.
        using var replay = await fixture.Host.Admin.PostAsync($"api/admin/poison/{PoisonEndpoints.Recipients}/replay", null);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(2, (int)JsonNode.Parse(await replay.Content.ReadAsStringAsync())!["replayed"]!);
        Assert.Equal(0, await UnreadableListedAsync());

        // Replayed rows arrive anew (the host's clock): they wait for the delay like any other address.
        _clock.Now = DateTimeOffset.UtcNow;
        Assert.Equal(0, await Flusher(secret: OtherSecret).FlushAsync(CancellationToken.None));
        _clock.Now += Delay;
        Assert.Equal(1, await Flusher(secret: OtherSecret).FlushAsync(CancellationToken.None));
        Assert.Equal(["old-secret@example.org", "readable@example.org"], (await RecipientsAsync(survey)).Order());
        // The tampered one opens under neither secret: set aside again, not lost.
        Assert.Equal(1, await UnreadableListedAsync());
    }

    private PendingRecipientStore Store(TableServiceClient? tables = null) => new(tables ?? _tables, _clock);

    private RecipientFlusher Flusher(TableServiceClient? tables = null, string secret = PendingFixture.Secret, QueueClient? backlog = null)
    {
        var options = Options.Create(new AnonymityOptions { RecipientDelay = Delay });
        var privacy = Options.Create(new PrivacyOptions { Secret = secret });
        return new RecipientFlusher(
            fixture.Host.Services.GetRequiredService<SurveyCatalog>(),
            Store(tables),
            // The host's own submissions queue: its trigger keeps it empty.
            backlog is null ? fixture.Host.Services.GetRequiredService<SubmissionBacklog>() : new SubmissionBacklog(backlog),
            new RecipientStore(_tables),
            new RecipientSeal(privacy),
            new PrivacyKeys(privacy),
            options,
            _clock,
            NullLogger<RecipientFlusher>.Instance);
    }

    private static RecipientSeal Seal(string secret) => new(Options.Create(new PrivacyOptions { Secret = secret }));

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

    /// <summary>Leaves a sealed address waiting, as the anonymiser's completing transaction does, arriving at the test's clock.</summary>
    private Task AddAsync(string surveyId, string sealedAddress) =>
        _tables.GetTableClient(TableNames.Submissions).AddEntityAsync(PendingRecipientStore.WaitingRow(surveyId, sealedAddress, _clock.GetUtcNow()));

    private static bool IsPoolRow(TableEntity row) =>
        row.RowKey.StartsWith(PendingRecipientStore.WaitingPrefix, StringComparison.Ordinal) || row.RowKey.StartsWith(PendingRecipientStore.UnreadablePrefix, StringComparison.Ordinal);

    private async Task<List<string>> RecipientsAsync(string surveyId)
    {
        var emails = new List<string>();
        await foreach (var recipient in new RecipientStore(_tables).ListAsync(surveyId, CancellationToken.None)) emails.Add(recipient.Email);
        return emails;
    }

    private async Task<List<TableEntity>> WaitingRowsAsync(string surveyId)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in _tables.GetTableClient(TableNames.Submissions).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {surveyId}")))
            if (row.RowKey.StartsWith(PendingRecipientStore.WaitingPrefix, StringComparison.Ordinal)) rows.Add(row);
        return rows;
    }

    private async Task<int> UnreadableListedAsync()
    {
        using var response = await fixture.Host.Admin.GetAsync("api/admin/poison");
        response.EnsureSuccessStatusCode();
        return (int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["recipients"]!["unreadable"]!;
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>Fails every entity-group transaction before it is sent: a crash at the pool's delete.</summary>
    private sealed class FailTransactions : HttpPipelineSynchronousPolicy
    {
        private int _failed;
        public int Failed => _failed;

        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _failed);
                throw new InvalidOperationException("Injected crash before the pending rows were deleted");
            }
        }
    }
}
