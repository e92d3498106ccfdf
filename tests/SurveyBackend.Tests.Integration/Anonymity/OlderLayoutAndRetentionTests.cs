using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SurveyBackend.Aggregation;
using SurveyBackend.Anonymity;
using SurveyBackend.Intake;
using SurveyBackend.Privacy;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using SurveyBackend.Testing;
using SurveyBackend.Tests.Integration.Aggregation;

namespace SurveyBackend.Tests.Integration.Anonymity;

/// <summary>
/// Storage written by the version before the batch rule (docs/upgrading.md): waiting addresses under <c>r|{ticks}|…</c>
/// with unpadded seals, unreadable ones under <c>u|{ticks}|…</c>, pending rows with the address in clear; and a
/// submission that is never processed giving up its address after the retention, seen first by the admin.
/// </summary>
public sealed class OlderLayoutAndRetentionTests(PendingFixture fixture) : IClassFixture<PendingFixture>
{
    private readonly TableServiceClient _tables = new(fixture.Azurite.ConnectionString);
    private readonly TableClient _submissions = new(fixture.Azurite.ConnectionString, TableNames.Submissions);

    [Fact]
    public async Task WaitingRowsOfTheOlderLayout_AreMovedOnTheNextFlush_ResealedAtOneSize_WithNoArrivalInTheirKeys_AndNoneIsLost()
    {
        var survey = await NewSurveyAsync();
        var arrived = DateTimeOffset.UtcNow.AddHours(-3);
        var emails = Enumerable.Range(0, 3).Select(i => $"legacy{i}@example.org").ToList();
        for (var i = 0; i < emails.Count; i++) await PlantAsync(survey, "r|", arrived.AddMinutes(i), OldSeal(survey, i == 0 ? "cy:" + emails[i] : emails[i]));
        await PlantAsync(survey, "r|", arrived.AddMinutes(9), "not a seal at all");
        await PlantAsync(survey, "u|", arrived.AddMinutes(10), "set aside before the upgrade");

        // Three readable: too few for a batch, so they are moved and wait.
        Assert.Equal(0, await Flusher().FlushAsync(CancellationToken.None));
        var rows = await PartitionAsync(survey);
        Assert.DoesNotContain(rows, r => PendingRecipientStore.IsLegacy(r.RowKey));
        var waiting = rows.Where(r => r.RowKey.StartsWith(PendingRecipientStore.WaitingPrefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(3, waiting.Count);
        Assert.Single(waiting.Select(r => r.GetString("Sealed").Length).Distinct());
        Assert.Equal(4 * ((12 + RecipientSeal.PaddedBytes + 16 + 2) / 3), waiting[0].GetString("Sealed").Length);
        Assert.All(waiting, r => Assert.Matches("^w\\|[0-9a-f]{64}$", r.RowKey));
        var unreadable = rows.Where(r => r.RowKey.StartsWith(PendingRecipientStore.UnreadablePrefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(["not a seal at all", "set aside before the upgrade"], unreadable.Select(r => r.GetString("Sealed")).Order());
        Assert.All(unreadable, r => Assert.Matches("^u\\|[0-9a-f]{64}$", r.RowKey));

        // A mailing writes them, each with its language as the older seal held it.
        Assert.Equal(3, await Flusher().FlushForMailingAsync(survey, "a-report", CancellationToken.None));
        var recipients = await new RecipientStore(_tables).ListAsync(survey, CancellationToken.None).ToListAsync();
        Assert.Equal(emails, recipients.Select(r => r.Email).Order());
        Assert.Equal("cy", recipients.Single(r => r.Email == emails[0]).Language);
    }

    [Fact]
    public async Task APendingRowOfTheOlderLayout_HoldingItsAddressInClear_IsCountedOnce_AndItsAddressWaitsSealed()
    {
        var survey = await NewSurveyAsync();
        var definition = (await fixture.Host.Services.GetRequiredService<SurveyCatalog>().FindAsync(survey, CancellationToken.None))!.Definition;
        var submission = Submission.Random(definition, 80_000, new Random(80)) with { Email = "clear@example.org" };
        var keys = fixture.Host.Services.GetRequiredService<PrivacyKeys>();
        var submissionKey = keys.ForSubmission(survey, submission.SubmissionId);
        await _submissions.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(survey, submissionKey)),
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(survey, SubmissionStore.PendingRowKey(submissionKey))
            {
                ["SubmissionId"] = submission.SubmissionId, ["AnswersJson"] = submission.ToAnswers().ToJson(), ["Email"] = "clear@example.org",
                ["EmailLanguage"] = "cy", ["ReceivedAt"] = DateTimeOffset.UtcNow, ["State"] = "Pending",
            }),
        ]);

        var anonymiser = fixture.Host.Services.GetRequiredService<SubmissionAnonymiser>();
        var message = new SubmissionMessage(survey, submission.SubmissionId);
        Assert.Equal(AnonymiseOutcome.Processed, await anonymiser.ProcessAsync(message, CancellationToken.None));
        Assert.Equal(AnonymiseOutcome.AlreadyProcessed, await anonymiser.ProcessAsync(message, CancellationToken.None));

        var waiting = Assert.Single(await PartitionAsync(survey), r => r.RowKey.StartsWith(PendingRecipientStore.WaitingPrefix, StringComparison.Ordinal));
        Assert.Equal(("clear@example.org", (string?)"cy"), fixture.Host.Services.GetRequiredService<RecipientSeal>().OpenAddress(survey, waiting.GetString("Sealed")));
        Assert.Equal(1, await RespondentsAsync(definition));
    }

    [Fact]
    public async Task ASubmissionNeverProcessed_IsShownToTheAdminFirst_ThenLosesItsAddressAfterTheRetention_AndAReplayCountsItOnce()
    {
        var survey = await NewSurveyAsync();
        var definition = (await fixture.Host.Services.GetRequiredService<SurveyCatalog>().FindAsync(survey, CancellationToken.None))!.Definition;
        var seal = fixture.Host.Services.GetRequiredService<RecipientSeal>();
        var keys = fixture.Host.Services.GetRequiredService<PrivacyKeys>();
        var store = fixture.Host.Services.GetRequiredService<SubmissionStore>();
        var now = DateTimeOffset.UtcNow;
        // Two submissions the sweeper gave up on (their messages in poison): one past its retention, one not yet.
        var expired = await StuckAsync(Submission.Random(definition, 90_000, new Random(90)) with { Email = "expired@example.org" }, now.AddDays(-1));
        var kept = await StuckAsync(Submission.Random(definition, 90_001, new Random(91)) with { Email = "kept@example.org" }, now.AddDays(3));
        var before = await PoisonAsync();
        Assert.True((int)before["stuck"]! >= 2);
        Assert.True((int)before["holdingAddresses"]! >= 2);
        Assert.Equal("7.00:00:00", (string)before["addressesKeptFor"]!);
        Assert.True(DateTimeOffset.Parse((string)before["firstAddressRemovedAt"]!, CultureInfo.InvariantCulture) <= now.AddDays(-1));

        await fixture.Host.Services.GetRequiredService<PendingSweeper>().SweepAsync(CancellationToken.None);

        var gone = (await store.FindAsync(survey, keys.ForSubmission(survey, expired.SubmissionId), CancellationToken.None))!.Value.Submission;
        Assert.Null(gone.SealedAddress);
        Assert.Null(gone.KeepAddressUntil);
        Assert.Equal(expired.ToAnswers().ToJson(), gone.Answers.ToJson());
        Assert.Equal(expired.SubmissionId, gone.SubmissionId);
        var stillHeld = (await store.FindAsync(survey, keys.ForSubmission(survey, kept.SubmissionId), CancellationToken.None))!.Value.Submission;
        Assert.Equal("kept@example.org", seal.OpenAddress(survey, stillHeld.SealedAddress!)!.Value.Email);
        Assert.Equal((int)before["holdingAddresses"]! - 1, (int)(await PoisonAsync())["holdingAddresses"]!);

        // The cause is fixed and the message replayed: counted once, and no address for the report.
        var anonymiser = fixture.Host.Services.GetRequiredService<SubmissionAnonymiser>();
        Assert.Equal(AnonymiseOutcome.Processed, await anonymiser.ProcessAsync(new SubmissionMessage(survey, expired.SubmissionId), CancellationToken.None));
        Assert.Equal(AnonymiseOutcome.AlreadyProcessed, await anonymiser.ProcessAsync(new SubmissionMessage(survey, expired.SubmissionId), CancellationToken.None));
        Assert.Equal(1, await RespondentsAsync(definition));
        Assert.DoesNotContain(await PartitionAsync(survey), r => r.RowKey.StartsWith(PendingRecipientStore.WaitingPrefix, StringComparison.Ordinal));

        async Task<Submission> StuckAsync(Submission submission, DateTimeOffset keepUntil)
        {
            var key = keys.ForSubmission(survey, submission.SubmissionId);
            Assert.True(await store.TryAddAsync(survey, key, new RawSubmission
            {
                SubmissionId = submission.SubmissionId, Answers = submission.ToAnswers(),
                SealedAddress = seal.SealAddress(survey, submission.Email!, null), KeepAddressUntil = keepUntil,
            }, CancellationToken.None));
            await _submissions.UpdateEntityAsync(new TableEntity(survey, SubmissionStore.PendingRowKey(key)) { ["State"] = "Enqueued", ["Sweeps"] = SubmissionStore.MaxSweeps }, Azure.ETag.All);
            return submission;
        }
    }

    private RecipientFlusher Flusher()
    {
        var privacy = Options.Create(new PrivacyOptions { Secret = PendingFixture.Secret });
        return new RecipientFlusher(
            fixture.Host.Services.GetRequiredService<SurveyCatalog>(), new PendingRecipientStore(_tables), new SubmissionStore(_tables), new RecipientStore(_tables),
            new RecipientSeal(privacy), new PrivacyKeys(privacy), Options.Create(new AnonymityOptions()), TimeProvider.System, NullLogger<RecipientFlusher>.Instance);
    }

    /// <summary>A row as the older version wrote it: its prefix, the arrival in UTC ticks, random hex.</summary>
    private Task PlantAsync(string survey, string prefix, DateTimeOffset arrived, string sealedText) =>
        _submissions.AddEntityAsync(new TableEntity(survey, prefix + arrived.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "|" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)))
        {
            ["Sealed"] = sealedText,
        });

    /// <summary>A seal as the older version made it: the bare content, not padded.</summary>
    private static string OldSeal(string survey, string content)
    {
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(PendingFixture.Secret), 32, info: Encoding.UTF8.GetBytes("recipient-seal"));
        var plain = Encoding.UTF8.GetBytes(content);
        var sealedBytes = new byte[12 + plain.Length + 16];
        RandomNumberGenerator.Fill(sealedBytes.AsSpan(0, 12));
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(sealedBytes.AsSpan(0, 12), plain, sealedBytes.AsSpan(12, plain.Length), sealedBytes.AsSpan(12 + plain.Length), Encoding.UTF8.GetBytes(survey));
        return Convert.ToBase64String(sealedBytes);
    }

    private async Task<List<TableEntity>> PartitionAsync(string survey) =>
        await _submissions.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {survey}")).ToListAsync();

    private async Task<JsonNode> PoisonAsync()
    {
        using var response = await fixture.Host.Admin.GetAsync("api/admin/poison");
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["submissions"]!;
    }

    private async Task<long> RespondentsAsync(SurveyDefinition definition) =>
        (await fixture.Host.Services.GetRequiredService<ResultsService>().ReadCountsAsync(definition, CancellationToken.None)).TryGetValue(Tally.All, out var all)
            ? all.GetValueOrDefault(Tally.Respondents) : 0;

    private async Task<string> NewSurveyAsync()
    {
        var id = "legacy-" + Guid.NewGuid().ToString("N")[..12];
        using var response = await fixture.Host.PutSurveyAsync(id, await RepoPaths.SampleSurveyJsonAsync(id));
        response.EnsureSuccessStatusCode();
        return id;
    }
}
