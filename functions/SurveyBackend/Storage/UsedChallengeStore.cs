using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace SurveyBackend.Storage;

public enum ChallengeUse
{
    /// <summary>Not used before: it is now, for this submission.</summary>
    First,
    /// <summary>Used before for this same submission: a retry (after a 503, or a 400 put right), which may pass again.</summary>
    SameSubmission,
    /// <summary>Used before for another submission: a replay.</summary>
    Taken,
}

/// <summary>
/// The <c>challenges</c> table: one row per proof-of-work challenge used, so a proof replayed to any instance is refused.
/// PartitionKey = the hour (UTC, <c>yyyyMMddHH</c>) its challenge expires, RowKey = the challenge's nonce, <c>Submission</c> =
/// a keyed hash of the submission it was used for. Nothing else: no address, no answer, no time beyond the row's own.
/// </summary>
public sealed class UsedChallengeStore(TableServiceClient tableService)
{
    private readonly TableClient _table = tableService.GetTableClient(TableNames.Challenges);

    /// <summary>Marks the challenge used for <paramref name="submissionKey"/>: one insert-if-absent, and a point read only on a clash.</summary>
    public async Task<ChallengeUse> UseAsync(string challengeId, DateTimeOffset expiresAt, string submissionKey, CancellationToken cancellationToken)
    {
        var partition = Partition(expiresAt);
        try
        {
            await _table.AddEntityAsync(new TableEntity(partition, challengeId) { ["Submission"] = submissionKey }, cancellationToken);
            return ChallengeUse.First;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var row = await _table.GetEntityIfExistsAsync<TableEntity>(partition, challengeId, select: ["Submission"], cancellationToken);
            return row.HasValue && row.Value!.GetString("Submission") == submissionKey ? ChallengeUse.SameSubmission : ChallengeUse.Taken;
        }
    }

    /// <summary>
    /// Deletes the rows of challenges that expired before this hour began: one query that returns only rows still due
    /// (earlier runs deleted the rest), then a transaction per hundred rows of a partition. Never a scan of history.
    /// </summary>
    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey lt {Partition(now)}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            (due.TryGetValue(row.PartitionKey, out var keys) ? keys : due[row.PartitionKey] = []).Add(row.RowKey);
        }
        var deleted = 0;
        foreach (var (partition, keys) in due)
        {
            foreach (var chunk in keys.Chunk(100))
            {
                await _table.SubmitTransactionAsync(chunk.Select(key => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, key), ETag.All)), cancellationToken);
                deleted += chunk.Length;
            }
        }
        return deleted;
    }

    public static string Partition(DateTimeOffset expiresAt) => expiresAt.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
}
