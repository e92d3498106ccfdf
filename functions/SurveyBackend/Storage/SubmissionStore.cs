using Azure;
using Azure.Data.Tables;

namespace SurveyBackend.Storage;

/// <summary>
/// A raw submission as intake accepted it: short-lived, it holds the answers and (only with consent to
/// receive the report) an email address until the anonymiser has processed it. Name, organisation,
/// IP address and user agent are never stored at all.
/// </summary>
public sealed record RawSubmission
{
    /// <summary>The client's submission id, kept only on the pending row so the sweeper can re-send its queue message.</summary>
    public string? SubmissionId { get; init; }
    public required Answers Answers { get; init; }
    /// <summary>Only when the respondent asked for the report and consented.</summary>
    public string? Email { get; init; }
    /// <summary>The language the respondent used, beside <see cref="Email"/> only (null without one, or when none was given).</summary>
    public string? EmailLanguage { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public SubmissionState State { get; init; } = SubmissionState.Pending;
}

public enum SubmissionState
{
    /// <summary>Stored and not yet processed. Its first message was sent by intake, or was lost: the sweeper cannot tell, so it re-sends these.</summary>
    Pending,
    /// <summary>
    /// The sweeper re-sent its message and marked it so, with when (<c>SweptAt</c>) and how often (<c>Sweeps</c>), so
    /// that it re-sends a row again only after another sweep age and at most <see cref="SubmissionStore.MaxSweeps"/>
    /// times. Only the sweeper sets this: after a normal send a row stays Pending until it is processed.
    /// </summary>
    Enqueued,
}

/// <summary>
/// The <c>submissions</c> table. PartitionKey = survey id; the submission key is an HMAC of the client's submission id
/// under the app's secret (<c>PrivacyKeys.ForSubmission</c>), so no stored key can be tied back to the client's id.
/// Two rows per submission, added in one entity group transaction (one call):
/// <list type="bullet">
/// <item>the <b>key row</b>, RowKey = the submission key, with no properties: the idempotency key (the tombstone). A repeat
/// fails on it, so the transaction writes nothing. It outlives processing, until the survey has been closed for
/// <c>Intake:TombstoneRetention</c> (<see cref="DeleteKeysAsync"/>);</item>
/// <item>the <b>pending row</b>, RowKey = <c>p|</c> + the submission key: answers, email, arrival, state. The anonymiser
/// deletes it once the submission is counted.</item>
/// </list>
/// Keys are lower-case hex, which sorts before <c>p</c>: the range <c>p|</c>…<c>p}</c> holds only unprocessed rows, so
/// the sweeper's range query reads what is pending and never the history. The survey's sealed addresses waiting for
/// the report mailing live above them, in <c>r|</c>…<c>r}</c> (<see cref="PendingRecipientStore"/>).
/// </summary>
public sealed class SubmissionStore(TableServiceClient tableService, TimeProvider clock)
{
    private const string PendingPrefix = "p|";
    // '}' is the character after '|': every pending RowKey is below it.
    private const string PendingEnd = "p}";
    private const int TransactionSize = 100;

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

    /// <summary>The pending row and its ETag; null when there is none (processed, or never written).</summary>
    public async Task<(RawSubmission Submission, ETag ETag)?> FindAsync(string surveyId, string submissionKey, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(surveyId, PendingRowKey(submissionKey), cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } entity ? (FromEntity(entity), entity.ETag) : null;
    }

    /// <summary>
    /// Marks the pending row Enqueued (swept at <paramref name="now"/>, once more) only if it is unchanged since
    /// <paramref name="row"/> was read; false when it has changed or is gone (the anonymiser finished it meanwhile),
    /// which needs nothing more.
    /// </summary>
    public async Task<bool> MarkEnqueuedAsync(PendingSubmission row, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await _table.UpdateEntityAsync(
                new TableEntity(row.SurveyId, PendingRowKey(row.SubmissionKey))
                {
                    ["State"] = SubmissionState.Enqueued.ToString(),
                    ["SweptAt"] = now,
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
    /// Finishes a submission: deletes the pending row, leaving the key row as the tombstone, and with a consenting
    /// address adds it, sealed, to the survey's pool of waiting addresses (<see cref="PendingRecipientStore"/>), in
    /// the same transaction, so the raw row never goes before its address is kept. Unconditional: a pending row's
    /// answers never change (only the sweeper's state mark does). A pending row already gone was finished by another
    /// worker with the same message, and then nothing is written. Workers finishing submissions of one survey at once
    /// share a transaction (<see cref="GroupCommit"/>).
    /// </summary>
    public Task CompleteAsync(string surveyId, string submissionKey, string? sealedAddress, CancellationToken cancellationToken)
    {
        var delete = new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(surveyId, PendingRowKey(submissionKey)), ETag.All);
        IReadOnlyList<TableTransactionAction> actions = sealedAddress is null
            ? [delete]
            : [new TableTransactionAction(TableTransactionActionType.Add, PendingRecipientStore.WaitingRow(surveyId, sealedAddress, clock.GetUtcNow())), delete];
        return _completions.WriteAsync(actions, async ct =>
        {
            try
            {
                if (actions.Count == 1) await _table.DeleteEntityAsync(surveyId, delete.Entity.RowKey, ETag.All, ct);
                else await _table.SubmitTransactionAsync(actions, ct);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Another worker with the same message got there first (and kept the address).
            }
        }, cancellationToken);
    }

    /// <summary>
    /// A survey's unprocessed rows due a (re-)send: still Pending (their message may never have been sent) and received
    /// before <paramref name="before"/>, or re-sent before <paramref name="before"/> fewer than <see cref="MaxSweeps"/>
    /// times. One range query over the pending rows only.
    /// </summary>
    public async IAsyncEnumerable<PendingSubmission> FindPendingAsync(
        string surveyId, DateTimeOffset before, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string pending = SubmissionState.Pending.ToString(), enqueued = SubmissionState.Enqueued.ToString();
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {surveyId} and RowKey ge {PendingPrefix} and RowKey lt {PendingEnd} and ((State eq {pending} and ReceivedAt lt {before}) or (State eq {enqueued} and SweptAt lt {before} and Sweeps lt {MaxSweeps}))");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", "SubmissionId", "Sweeps"], cancellationToken: cancellationToken))
        {
            yield return new PendingSubmission(row.PartitionKey, row.RowKey[PendingPrefix.Length..], row.GetString("SubmissionId"), row.ETag, row.GetInt32("Sweeps") ?? 0);
        }
    }

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
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {surveyId} and RowKey lt {PendingPrefix}");
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
        ["Email"] = s.Email,
        ["EmailLanguage"] = s.Email is null ? null : s.EmailLanguage,
        ["ReceivedAt"] = s.ReceivedAt,
        ["State"] = s.State.ToString(),
    };

    private static RawSubmission FromEntity(TableEntity e) => new()
    {
        SubmissionId = e.GetString("SubmissionId"),
        Answers = Answers.FromJson(e.GetString("AnswersJson")),
        Email = e.GetString("Email"),
        EmailLanguage = e.GetString("EmailLanguage"),
        ReceivedAt = e.GetDateTimeOffset("ReceivedAt") ?? e.Timestamp ?? DateTimeOffset.MinValue,
        State = Enum.TryParse<SubmissionState>(e.GetString("State"), out var state) ? state : SubmissionState.Pending,
    };
}

/// <summary>A pending row still waiting for its queue message; <see cref="SubmissionId"/> is null only on rows written before it was stored.</summary>
public sealed record PendingSubmission(string SurveyId, string SubmissionKey, string? SubmissionId, ETag ETag, int Sweeps = 0);
