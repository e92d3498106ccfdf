using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;

namespace SurveyBackend.Storage;

/// <summary>
/// An address waiting in the <c>pendingrecipients</c> table: sealed under the app's secret, with the survey it is
/// for. No submission id, no response key, nothing that points at the response.
/// </summary>
public sealed record PendingRecipient(string RowKey, string SurveyId, string Sealed);

/// <summary>
/// The <c>pendingrecipients</c> table, the holding pool where sealed addresses wait until they are written, all at
/// once and in random order, to the recipients table (see <c>RecipientFlusher</c>).
/// <para>
/// Partition <c>waiting</c> holds every survey's addresses, so a flush mixes them all; its RowKey is the arrival
/// time (UTC ticks, 19 digits) then <c>|</c> and random hex, so the first row of the partition is the oldest and
/// a page query returns them in arrival order. Nothing else about the response is in the row, and the row is
/// deleted once its address is written. Partition <c>unreadable</c> holds rows whose seal would not open (another
/// secret, or tampering), set aside so they hold up nothing, until an admin replays them.
/// </para>
/// <para>
/// A table rather than a queue: on Azure a flush is a page query of up to 1,000 rows and deletes in entity-group
/// transactions of 100, where a queue takes a receive per 32 messages and a delete per message; on Azurite every
/// queue message held slows every queue operation, the submissions trigger's included.
/// </para>
/// </summary>
public sealed class PendingRecipientStore(TableServiceClient tableService, TimeProvider clock)
{
    public const string Waiting = "waiting";
    public const string Unreadable = "unreadable";
    private const int PageSize = 1000;
    private const int TransactionSize = 100;

    private readonly TableClient _table = tableService.GetTableClient(TableNames.PendingRecipients);
    private readonly GroupCommit _adds = new(tableService.GetTableClient(TableNames.PendingRecipients));

    /// <summary>A key that sorts by arrival (ordinal), unique without coordination.</summary>
    public static string RowKeyFor(DateTimeOffset arrived) =>
        arrived.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "|" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>When the row with this key arrived; null for a key this store did not make.</summary>
    public static DateTimeOffset? ArrivedAt(string rowKey) =>
        rowKey.Length > 19 && rowKey[19] == '|' && long.TryParse(rowKey.AsSpan(0, 19), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : null;

    /// <summary>
    /// Adds a sealed address to the waiting pool. A second add of the same address is a second row: one address is still
    /// one recipient. Workers adding at once share a transaction (<see cref="GroupCommit"/>): the rows say no more for it,
    /// as they are shuffled before they are written anywhere else.
    /// </summary>
    public Task AddAsync(string surveyId, string sealedAddress, CancellationToken cancellationToken)
    {
        var entity = ToEntity(Waiting, RowKeyFor(clock.GetUtcNow()), surveyId, sealedAddress);
        return _adds.WriteAsync(new TableTransactionAction(TableTransactionActionType.Add, entity), ct => _table.AddEntityAsync(entity, ct), cancellationToken);
    }

    /// <summary>When the oldest waiting address arrived (one row read); null when none is waiting.</summary>
    public async Task<DateTimeOffset?> OldestWaitingAsync(CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Waiting}");
        await foreach (var page in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken).AsPages())
        {
            if (page.Values.Count == 0) continue;
            var first = page.Values[0];
            // A key not made by RowKeyFor still counts as waiting: its own timestamp says since when.
            return ArrivedAt(first.RowKey) ?? first.Timestamp ?? DateTimeOffset.MinValue;
        }
        return null;
    }

    /// <summary>Up to <paramref name="max"/> waiting addresses, oldest first, read in pages of 1,000.</summary>
    public async Task<List<PendingRecipient>> TakeAsync(int max, CancellationToken cancellationToken)
    {
        var taken = new List<PendingRecipient>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Waiting}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(PageSize, max), cancellationToken: cancellationToken))
        {
            taken.Add(FromEntity(row));
            if (taken.Count >= max) break;
        }
        return taken;
    }

    /// <summary>
    /// Deletes waiting rows in entity-group transactions of 100. A row already gone (another flush, or a retry) is
    /// skipped: deleting is idempotent.
    /// </summary>
    public async Task DeleteAsync(IEnumerable<string> rowKeys, CancellationToken cancellationToken)
    {
        foreach (var chunk in rowKeys.Distinct(StringComparer.Ordinal).Chunk(TransactionSize))
        {
            await DeleteChunkAsync(Waiting, [.. chunk], cancellationToken);
        }
    }

    /// <summary>
    /// Sets an address whose seal would not open aside, under the same RowKey: copied first, then deleted from the
    /// pool, so a crash between the two leaves a copy in both (set aside again next time), never a loss.
    /// </summary>
    public async Task MarkUnreadableAsync(PendingRecipient pending, CancellationToken cancellationToken)
    {
        await _table.UpsertEntityAsync(ToEntity(Unreadable, pending.RowKey, pending.SurveyId, pending.Sealed), TableUpdateMode.Replace, cancellationToken);
        await DeleteChunkAsync(Waiting, [pending.RowKey], cancellationToken);
    }

    /// <summary>How many addresses are set aside as unreadable.</summary>
    public async Task<int> UnreadableCountAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Unreadable}");
        await foreach (var _ in _table.QueryAsync<TableEntity>(filter, maxPerPage: PageSize, select: ["RowKey"], cancellationToken: cancellationToken)) count++;
        return count;
    }

    /// <summary>
    /// Puts every unreadable address back in the pool (once the cause, such as a changed secret, is fixed), as if it
    /// arrived now, so it waits for a batch like any other. Added first, then deleted: a crash between leaves a
    /// duplicate, which is harmless (one address is one recipient).
    /// </summary>
    public async Task<int> ReplayUnreadableAsync(CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Unreadable}");
        var rows = new List<PendingRecipient>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: PageSize, cancellationToken: cancellationToken)) rows.Add(FromEntity(row));
        foreach (var chunk in rows.Chunk(TransactionSize))
        {
            var now = clock.GetUtcNow();
            await _table.SubmitTransactionAsync(
                [.. chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(Waiting, RowKeyFor(now), r.SurveyId, r.Sealed)))],
                cancellationToken);
            await DeleteChunkAsync(Unreadable, [.. chunk.Select(r => r.RowKey)], cancellationToken);
        }
        return rows.Count;
    }

    private async Task DeleteChunkAsync(string partition, List<string> rowKeys, CancellationToken cancellationToken)
    {
        while (rowKeys.Count > 0)
        {
            try
            {
                await _table.SubmitTransactionAsync(
                    [.. rowKeys.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, k), ETag.All))],
                    cancellationToken);
                return;
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 404)
            {
                // A transaction is all or nothing: drop the row that is already gone and send the rest again.
                if (ex.FailedTransactionActionIndex is { } index && index < rowKeys.Count)
                {
                    rowKeys.RemoveAt(index);
                    continue;
                }
                foreach (var key in rowKeys) await DeleteOneAsync(partition, key, cancellationToken);
                return;
            }
        }
    }

    private async Task DeleteOneAsync(string partition, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(partition, rowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already gone.
        }
    }

    private static TableEntity ToEntity(string partition, string rowKey, string surveyId, string sealedAddress) =>
        new(partition, rowKey) { ["SurveyId"] = surveyId, ["Sealed"] = sealedAddress };

    private static PendingRecipient FromEntity(TableEntity row) =>
        new(row.RowKey, row.GetString("SurveyId") ?? "", row.GetString("Sealed") ?? "");
}
