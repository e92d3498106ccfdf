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
    /// <summary>
    /// The client's submission id, kept only on the raw row so the sweeper can re-send its queue message;
    /// the tombstone that replaces the row drops it.
    /// </summary>
    public string? SubmissionId { get; init; }
    /// <summary>Question id → option id or array of option ids, as JSON.</summary>
    public required string AnswersJson { get; init; }
    /// <summary>Question id → "Other" free text, as JSON; null when there is none.</summary>
    public string? OtherJson { get; init; }
    /// <summary>Only when the respondent asked for the report and consented.</summary>
    public string? Email { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public SubmissionState State { get; init; } = SubmissionState.Pending;
}

public enum SubmissionState
{
    /// <summary>Stored; its queue message may not have been sent yet (the sweeper re-sends these).</summary>
    Pending,
    /// <summary>Its message is on the queue.</summary>
    Enqueued,
    /// <summary>Anonymised: the row is a PII-free tombstone kept so a repeat post is still answered 200.</summary>
    Processed,
}

/// <summary>
/// The <c>submissions</c> table. PartitionKey = survey id; RowKey = the submission key, an HMAC of the
/// client's submission id under the app's secret (<c>SubmissionKeys</c>), so the stored key cannot be
/// tied back to the client's id without the secret. AddEntity on that key is what makes intake idempotent.
/// </summary>
public sealed class SubmissionStore(TableServiceClient tableService)
{
    private readonly TableClient _table = tableService.GetTableClient(TableNames.Submissions);

    /// <summary>Adds the submission; false when a row with this key already exists (a repeat).</summary>
    public async Task<bool> TryAddAsync(string surveyId, string submissionKey, RawSubmission submission, CancellationToken cancellationToken)
    {
        try
        {
            await _table.AddEntityAsync(ToEntity(surveyId, submissionKey, submission), cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public async Task<bool> ExistsAsync(string surveyId, string submissionKey, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(surveyId, submissionKey, select: ["RowKey"], cancellationToken: cancellationToken);
        return row.HasValue;
    }

    /// <summary>The row and its ETag, for an update that must not race another worker.</summary>
    public async Task<(RawSubmission Submission, ETag ETag)?> FindAsync(string surveyId, string submissionKey, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(surveyId, submissionKey, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } entity ? (FromEntity(entity), entity.ETag) : null;
    }

    /// <summary>
    /// Marks the row Enqueued only if it is unchanged since <paramref name="etag"/>; false when it has changed
    /// (the anonymiser already replaced it with its tombstone, which must not be overwritten), which needs nothing more.
    /// </summary>
    public async Task<bool> MarkEnqueuedAsync(string surveyId, string submissionKey, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await _table.UpdateEntityAsync(
                new TableEntity(surveyId, submissionKey) { ["State"] = SubmissionState.Enqueued.ToString() },
                etag, TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>
    /// Replaces the row with a tombstone: no answers, no email, nothing but its state. Conditional on the
    /// ETag so that of two workers racing on one submission only one wins.
    /// </summary>
    public Task ReplaceWithTombstoneAsync(string surveyId, string submissionKey, ETag etag, CancellationToken cancellationToken) =>
        _table.UpdateEntityAsync(
            new TableEntity(surveyId, submissionKey) { ["State"] = SubmissionState.Processed.ToString() },
            etag, TableUpdateMode.Replace, cancellationToken);

    /// <summary>Rows still pending (their message may never have been sent) received before <paramref name="before"/>.</summary>
    public async IAsyncEnumerable<PendingSubmission> FindPendingAsync(
        DateTimeOffset before, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pending = SubmissionState.Pending.ToString();
        var filter = TableClient.CreateQueryFilter($"State eq {pending} and ReceivedAt lt {before}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", "SubmissionId"], cancellationToken: cancellationToken))
        {
            yield return new PendingSubmission(row.PartitionKey, row.RowKey, row.GetString("SubmissionId"), row.ETag);
        }
    }

    private static TableEntity ToEntity(string surveyId, string submissionKey, RawSubmission s) => new(surveyId, submissionKey)
    {
        ["SubmissionId"] = s.SubmissionId,
        ["AnswersJson"] = s.AnswersJson,
        ["OtherJson"] = s.OtherJson,
        ["Email"] = s.Email,
        ["ReceivedAt"] = s.ReceivedAt,
        ["State"] = s.State.ToString(),
    };

    private static RawSubmission FromEntity(TableEntity e) => new()
    {
        SubmissionId = e.GetString("SubmissionId"),
        AnswersJson = e.GetString("AnswersJson") ?? "{}",
        OtherJson = e.GetString("OtherJson"),
        Email = e.GetString("Email"),
        ReceivedAt = e.GetDateTimeOffset("ReceivedAt") ?? e.Timestamp ?? DateTimeOffset.MinValue,
        State = Enum.TryParse<SubmissionState>(e.GetString("State"), out var state) ? state : SubmissionState.Pending,
    };
}

/// <summary>A raw row still waiting for its queue message; <see cref="SubmissionId"/> is null only on rows written before it was stored.</summary>
public sealed record PendingSubmission(string SurveyId, string SubmissionKey, string? SubmissionId, ETag ETag);
