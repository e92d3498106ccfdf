using Azure;
using Azure.Data.Tables;

namespace SurveyBackend.Storage;

/// <summary>
/// A raw submission as intake accepted it: short-lived, it holds the answers and (only with consent to receive the
/// report) the address, sealed, until the anonymiser has processed it. Name, organisation, IP address and user agent
/// are never stored at all, and no property says when it arrived (the row's storage Timestamp is the only time).
/// </summary>
public sealed record RawSubmission
{
    /// <summary>The client's submission id, kept only on the pending row so the sweeper can re-send its queue message.</summary>
    public string? SubmissionId { get; init; }
    public required Answers Answers { get; init; }
    /// <summary>The report address and the respondent's language, sealed at intake (<c>RecipientSeal</c>); only with the wish and the consent.</summary>
    public string? SealedAddress { get; init; }
    /// <summary>The day after which an address never processed is removed (<see cref="SubmissionStore.KeepAddressUntil"/>).</summary>
    public DateTimeOffset? KeepAddressUntil { get; init; }
    /// <summary>An address in clear, and its language: read from rows an older version wrote, never written.</summary>
    public string? LegacyEmail { get; init; }
    public string? LegacyLanguage { get; init; }
    /// <summary>When the row was last written, as storage stamped it (null before it is stored).</summary>
    public DateTimeOffset? StoredAt { get; init; }
    public SubmissionState State { get; init; } = SubmissionState.Pending;
}

/// <summary>A survey's pending rows the sweeper gave up on, and how many of them still hold an address.</summary>
/// <param name="FirstRemovalAt">When the first of those addresses is removed (its row's <c>KeepAddressUntil</c>).</param>
public sealed record StuckSubmissions(int Count, int HoldingAddresses, DateTimeOffset? FirstRemovalAt);

public enum SubmissionState
{
    /// <summary>Stored and not yet processed. Its first message was sent by intake, or was lost: the sweeper cannot tell, so it re-sends these.</summary>
    Pending,
    /// <summary>
    /// The sweeper re-sent its message (<c>Sweeps</c> counts how often; the mark's Timestamp says when). Only the sweeper
    /// sets this: after a normal send a row stays Pending until it is processed.
    /// </summary>
    Enqueued,
}

/// <summary>
/// The <c>submissions</c> table, a partition per survey: per submission a key row (a keyed hash of the client's id, kept as
/// the tombstone that makes intake idempotent) and a <c>p|</c> pending row, added in one transaction. Hex keys sort before
/// <c>p</c>, so the sweeper reads only what is pending, never history (docs/intake.md, docs/anonymity.md).
/// </summary>
public sealed class SubmissionStore(TableServiceClient tableService)
{
    private const string PendingPrefix = "p|";
    // '}' is the character after '|': every pending RowKey is below it.
    private const string PendingEnd = "p}";
    private const int TransactionSize = 100;
    // Key rows are lower-case hex: all below 'g', and below every prefixed row.
    private const string KeyRowsEnd = "g";
    private const string AddressProperty = "SealedAddress";
    private const string KeepUntilProperty = "KeepAddressUntil";
    // Rows written before addresses were sealed at intake hold them in clear.
    private const string LegacyEmailProperty = "Email";
    private const string LegacyLanguageProperty = "EmailLanguage";

    /// <summary>
    /// How often the sweeper re-sends one row: more than once, as a re-sent message can itself be taken by an instance
    /// that dies (it then stays invisible for the queue's lease); not forever, so a message that poisons is not fed
    /// back without end.
    /// </summary>
    public const int MaxSweeps = 3;

    private readonly TableClient _table = tableService.GetTableClient(TableNames.Submissions);
    private readonly GroupCommit _completions = new(tableService.GetTableClient(TableNames.Submissions));

    /// <summary>The RowKey of a submission's pending row.</summary>
    public static string PendingRowKey(string submissionKey) => PendingPrefix + submissionKey;

    /// <summary>Adds the key row and the pending row together; false when the key row already exists (a repeat), and then nothing is written.</summary>
    public async Task<bool> TryAddAsync(string surveyId, string submissionKey, RawSubmission submission, CancellationToken cancellationToken)
    {
        try
        {
            await _table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(surveyId, submissionKey)),
                    new TableTransactionAction(TableTransactionActionType.Add, ToEntity(surveyId, submissionKey, submission)),
                ],
                cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Whether the key row exists: the submission was stored under this key (it may since have been processed).</summary>
    public async Task<bool> HasKeyAsync(string surveyId, string submissionKey, CancellationToken cancellationToken) =>
        (await _table.GetEntityIfExistsAsync<TableEntity>(surveyId, submissionKey, select: ["RowKey"], cancellationToken: cancellationToken)).HasValue;

    /// <summary>The pending row and its ETag; null when there is none (processed, or never written).</summary>
    public async Task<(RawSubmission Submission, ETag ETag)?> FindAsync(string surveyId, string submissionKey, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(surveyId, PendingRowKey(submissionKey), cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } entity ? (FromEntity(entity), entity.ETag) : null;
    }

    /// <summary>
    /// Marks the pending row Enqueued (swept once more; the write's Timestamp says when) only if it is unchanged since
    /// <paramref name="row"/> was read; false when it has changed or is gone (the anonymiser finished it meanwhile),
    /// which needs nothing more.
    /// </summary>
    public async Task<bool> MarkEnqueuedAsync(PendingSubmission row, CancellationToken cancellationToken)
    {
        try
        {
            await _table.UpdateEntityAsync(
                new TableEntity(row.SurveyId, PendingRowKey(row.SubmissionKey))
                {
                    ["State"] = SubmissionState.Enqueued.ToString(),
                    ["Sweeps"] = row.Sweeps + 1,
                },
                row.ETag, TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>
    /// Deletes the pending row and keeps a consenting address in the pool in one transaction, so the raw row never goes
    /// before its address is kept; unconditional, as a pending row's answers never change. A row already gone was finished
    /// by another worker: nothing is written. Concurrent completions share a transaction (<see cref="GroupCommit"/>).
    /// </summary>
    public Task CompleteAsync(string surveyId, string submissionKey, WaitingAddress? address, CancellationToken cancellationToken)
    {
        var delete = new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(surveyId, PendingRowKey(submissionKey)), ETag.All);
        IReadOnlyList<TableTransactionAction> actions = address is null
            ? [delete]
            : [new TableTransactionAction(TableTransactionActionType.Add, PendingRecipientStore.WaitingRow(surveyId, address)), delete];
        return _completions.WriteAsync(actions, async ct =>
        {
            try
            {
                if (actions.Count == 1) await _table.DeleteEntityAsync(surveyId, delete.Entity.RowKey, ETag.All, ct);
                else await _table.SubmitTransactionAsync(actions, ct);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 409)
            {
                // Another worker with the same message got there first: the pending row is gone (404), or its address
                // already waits under the same key (409), which only that worker's completion can have added.
            }
        }, cancellationToken);
    }

    /// <summary>
    /// A survey's unprocessed rows due a (re-)send: last written before <paramref name="before"/> (by intake, or by the
    /// sweeper's last mark), and still Pending (their message may never have been sent) or re-sent fewer than
    /// <see cref="MaxSweeps"/> times. One range query over the pending rows only.
    /// </summary>
    public async IAsyncEnumerable<PendingSubmission> FindPendingAsync(
        string surveyId, DateTimeOffset before, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string pending = SubmissionState.Pending.ToString(), enqueued = SubmissionState.Enqueued.ToString();
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {surveyId} and RowKey ge {PendingPrefix} and RowKey lt {PendingEnd} and Timestamp lt {before} and (State eq {pending} or (State eq {enqueued} and Sweeps lt {MaxSweeps}))");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", "SubmissionId", "Sweeps"], cancellationToken: cancellationToken))
        {
            yield return new PendingSubmission(row.PartitionKey, row.RowKey[PendingPrefix.Length..], row.GetString("SubmissionId"), row.ETag, row.GetInt32("Sweeps") ?? 0);
        }
    }

    /// <summary>
    /// The day after which a pending row stored at <paramref name="now"/> gives up its address if it is never
    /// processed: <paramref name="retention"/> later, rounded up to midnight UTC, so the row says no more of its
    /// arrival than the day (as a response's <c>Day</c> does).
    /// </summary>
    public static DateTimeOffset KeepAddressUntil(DateTimeOffset now, TimeSpan retention)
    {
        var at = (now + retention).UtcDateTime;
        return new DateTimeOffset(at.Date, TimeSpan.Zero).AddDays(at.TimeOfDay > TimeSpan.Zero ? 1 : 0);
    }

    /// <summary>
    /// Removes the address from each pending row kept past its <c>KeepAddressUntil</c> (older rows:
    /// <paramref name="retention"/> after arrival); the answers stay for a replay. Each row is replaced on its ETag, as a
    /// merge cannot remove a property; one that changed meanwhile is left to the next call. Returns how many it removed.
    /// </summary>
    public async Task<int> RemoveAddressesAsync(string surveyId, DateTimeOffset now, TimeSpan retention, CancellationToken cancellationToken)
    {
        var filter = HoldingAddresses(surveyId) + " and " + TableClient.CreateQueryFilter($"(KeepAddressUntil le {now} or ReceivedAt lt {now - retention})");
        var removed = 0;
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var kept = new TableEntity(row.PartitionKey, row.RowKey);
            foreach (var (name, value) in row)
            {
                if (name is AddressProperty or KeepUntilProperty or LegacyEmailProperty or LegacyLanguageProperty or "PartitionKey" or "RowKey" or "Timestamp" or "odata.etag") continue;
                kept[name] = value;
            }
            try
            {
                await _table.UpdateEntityAsync(kept, row.ETag, TableUpdateMode.Replace, cancellationToken);
                removed++;
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404)
            {
                // Finished or swept meanwhile: the next call looks again.
            }
        }
        return removed;
    }

    /// <summary>
    /// The survey's pending rows the sweeper gave up on (re-sent <see cref="MaxSweeps"/> times and still not processed),
    /// how many of them still hold an address, and when the first of those addresses goes.
    /// </summary>
    public async Task<StuckSubmissions> FindStuckAsync(string surveyId, TimeSpan retention, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {surveyId} and RowKey ge {PendingPrefix} and RowKey lt {PendingEnd} and Sweeps ge {MaxSweeps}");
        int count = 0, holding = 0;
        DateTimeOffset? first = null;
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["RowKey", AddressProperty, KeepUntilProperty, LegacyEmailProperty, "ReceivedAt"], cancellationToken: cancellationToken))
        {
            count++;
            if (row.GetString(AddressProperty) is not { Length: > 0 } && row.GetString(LegacyEmailProperty) is not { Length: > 0 }) continue;
            holding++;
            var removal = row.GetDateTimeOffset(KeepUntilProperty) ?? row.GetDateTimeOffset("ReceivedAt") + retention;
            if (removal is not null && (first is null || removal < first)) first = removal;
        }
        return new StuckSubmissions(count, holding, first);
    }

    /// <summary>Whether any of the survey's pending rows still holds an address: one that may yet reach the recipients.</summary>
    public async Task<bool> AnyHoldingAddressAsync(string surveyId, CancellationToken cancellationToken)
    {
        await foreach (var _ in _table.QueryAsync<TableEntity>(HoldingAddresses(surveyId), maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            return true;
        }
        return false;
    }

    // The property names are spelled out (a filter's arguments are values, not names): SealedAddress, and Email on older rows.
    private static string HoldingAddresses(string surveyId) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {surveyId} and RowKey ge {PendingPrefix} and RowKey lt {PendingEnd} and (SealedAddress gt {""} or Email gt {""})");

    /// <summary>Whether the survey has any submission row, pending or a tombstone.</summary>
    public async Task<bool> AnyAsync(string surveyId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {surveyId}");
        await foreach (var _ in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            return true;
        }
        return false;
    }

    /// <summary>
    /// Deletes a survey's key rows (the tombstones), a hundred per transaction; pending rows are left alone. Reads only
    /// the key rows still there, so once they are gone a call costs one empty range query. Returns how many it deleted.
    /// </summary>
    public async Task<int> DeleteKeysAsync(string surveyId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {surveyId} and RowKey lt {KeyRowsEnd}");
        var keys = new List<string>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            keys.Add(row.RowKey);
        }
        foreach (var chunk in keys.Chunk(TransactionSize))
        {
            await _table.SubmitTransactionAsync(
                [.. chunk.Select(key => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(surveyId, key), ETag.All))],
                cancellationToken);
        }
        return keys.Count;
    }

    private static TableEntity ToEntity(string surveyId, string submissionKey, RawSubmission s) => new(surveyId, PendingRowKey(submissionKey))
    {
        ["SubmissionId"] = s.SubmissionId,
        ["AnswersJson"] = s.Answers.ToJson(),
        [AddressProperty] = s.SealedAddress,
        [KeepUntilProperty] = s.SealedAddress is null ? null : s.KeepAddressUntil,
        ["State"] = s.State.ToString(),
    };

    private static RawSubmission FromEntity(TableEntity e) => new()
    {
        SubmissionId = e.GetString("SubmissionId"),
        Answers = Answers.FromJson(e.GetString("AnswersJson")),
        SealedAddress = e.GetString(AddressProperty),
        KeepAddressUntil = e.GetDateTimeOffset(KeepUntilProperty),
        LegacyEmail = e.GetString(LegacyEmailProperty),
        LegacyLanguage = e.GetString(LegacyLanguageProperty),
        // Older rows carried their arrival as a property; storage's own stamp says as much.
        StoredAt = e.GetDateTimeOffset("ReceivedAt") ?? e.Timestamp,
        State = Enum.TryParse<SubmissionState>(e.GetString("State"), out var state) ? state : SubmissionState.Pending,
    };
}

/// <summary>A pending row still waiting for its queue message; <see cref="SubmissionId"/> is null only on rows written before it was stored.</summary>
public sealed record PendingSubmission(string SurveyId, string SubmissionKey, string? SubmissionId, ETag ETag, int Sweeps = 0);
