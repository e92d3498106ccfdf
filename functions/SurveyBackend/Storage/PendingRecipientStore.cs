using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;

namespace SurveyBackend.Storage;

/// <summary>
/// An address waiting to be written to the recipients table: sealed under the app's secret, in its survey's
/// partition. No submission id, no response key, no arrival time, nothing that points at the response.
/// </summary>
public sealed record PendingRecipient(string SurveyId, string RowKey, string Sealed);

/// <summary>An address to leave waiting: its key (after the prefix; <c>PrivacyKeys.ForWaiting</c>) and its seal.</summary>
public sealed record WaitingAddress(string Key, string Sealed);

/// <summary>What a survey's pool holds: how many addresses wait, and the rows still in an older layout.</summary>
public sealed record PoolState(int Waiting, IReadOnlyList<string> LegacyKeys);

/// <summary>
/// The pool where sealed addresses wait to be written to recipients in batches (<c>RecipientFlusher</c>). It lives in each
/// survey's partition of <c>submissions</c>, so a finished pending row goes and its address is kept in one transaction.
/// Its keys (<c>w|</c>, <c>u|</c>, <c>m|</c>) and the older <c>r|</c> rows it moves: docs/anonymity.md.
/// </summary>
public sealed partial class PendingRecipientStore(TableServiceClient tableService)
{
    /// <summary>The RowKey prefix of a waiting address.</summary>
    public const string WaitingPrefix = "w|";
    /// <summary>The RowKey prefix of an address set aside because its seal would not open.</summary>
    public const string UnreadablePrefix = "u|";
    /// <summary>The RowKey prefix of a mark that a report's mailing has flushed the pool (<c>m|{reportId}</c>, no properties).</summary>
    public const string MailingPrefix = "m|";
    /// <summary>The prefix waiting addresses had before (<c>r|{arrival ticks}|{random}</c>): read only to move them.</summary>
    public const string LegacyWaitingPrefix = "r|";
    // '}' is the character after '|': every key with a prefix is below the prefix's letter + '}'.
    private const char RangeEnd = '}';
    private const int PageSize = 1000;
    private const int TransactionSize = 100;

    private readonly TableClient _table = tableService.GetTableClient(TableNames.Submissions);

    /// <summary>A new waiting row: the one shape every writer of the pool uses.</summary>
    public static TableEntity WaitingRow(string surveyId, WaitingAddress address) => Row(surveyId, WaitingPrefix + address.Key, address.Sealed);

    /// <summary>A key of the pool's shape for a row that has no submission to key it by (a row moved from an older layout).</summary>
    public static string RandomKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// How many addresses of the survey wait, and the keys of its rows in an older layout: one range query over
    /// <c>r|</c>…<c>w}</c>, keys only (the unreadable rows between are few).
    /// </summary>
    public async Task<PoolState> ReadStateAsync(string surveyId, CancellationToken cancellationToken)
    {
        var waiting = 0;
        var legacy = new List<string>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {surveyId} and RowKey ge {LegacyWaitingPrefix} and RowKey lt {WaitingPrefix[..^1] + RangeEnd}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: PageSize, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            if (row.RowKey.StartsWith(WaitingPrefix, StringComparison.Ordinal)) waiting++;
            else if (IsLegacy(row.RowKey)) legacy.Add(row.RowKey);
        }
        return new PoolState(waiting, legacy);
    }

    /// <summary>Whether any address of the survey waits (one row read).</summary>
    public async Task<bool> AnyWaitingAsync(string surveyId, CancellationToken cancellationToken)
    {
        foreach (var prefix in new[] { WaitingPrefix, LegacyWaitingPrefix })
        {
            await foreach (var _ in _table.QueryAsync<TableEntity>(InRange(surveyId, prefix), maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken)) return true;
        }
        return false;
    }

    /// <summary>Up to <paramref name="max"/> of the survey's waiting addresses, read in pages of 1,000.</summary>
    public async Task<List<PendingRecipient>> TakeAsync(string surveyId, int max, CancellationToken cancellationToken)
    {
        var taken = new List<PendingRecipient>();
        await foreach (var row in _table.QueryAsync<TableEntity>(InRange(surveyId, WaitingPrefix), maxPerPage: Math.Min(PageSize, max), cancellationToken: cancellationToken))
        {
            taken.Add(FromEntity(row));
            if (taken.Count >= max) break;
        }
        return taken;
    }

    /// <summary>Whether the pool was flushed for the mailing of <paramref name="reportId"/> (one point read).</summary>
    public async Task<bool> WasFlushedForAsync(string surveyId, string reportId, CancellationToken cancellationToken) =>
        (await _table.GetEntityIfExistsAsync<TableEntity>(surveyId, MailingPrefix + reportId, select: ["RowKey"], cancellationToken: cancellationToken)).HasValue;

    /// <summary>Marks the pool flushed for the mailing of <paramref name="reportId"/>.</summary>
    public Task MarkFlushedForAsync(string surveyId, string reportId, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(new TableEntity(surveyId, MailingPrefix + reportId), TableUpdateMode.Replace, cancellationToken);

    /// <summary>One row of the survey (null when it is gone).</summary>
    public async Task<PendingRecipient?> FindAsync(string surveyId, string rowKey, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(surveyId, rowKey, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } entity ? FromEntity(entity) : null;
    }

    /// <summary>
    /// Deletes the survey's waiting rows in entity-group transactions of 100. A row already gone (another flush, or a
    /// retry) is skipped: deleting is idempotent.
    /// </summary>
    public async Task DeleteAsync(string surveyId, IEnumerable<string> rowKeys, CancellationToken cancellationToken)
    {
        foreach (var chunk in rowKeys.Distinct(StringComparer.Ordinal).Chunk(TransactionSize))
        {
            await DeleteChunkAsync(surveyId, [.. chunk], cancellationToken);
        }
    }

    /// <summary>
    /// Sets an address whose seal would not open aside: moved from <c>w|</c> to <c>u|</c> in one transaction, so it is
    /// in exactly one of the two. Already gone (another flush moved or wrote it) is nothing to do.
    /// </summary>
    public Task MarkUnreadableAsync(PendingRecipient pending, CancellationToken cancellationToken) =>
        MoveAsync(pending, UnreadableKeyFor(pending.RowKey), pending.Sealed, cancellationToken);

    /// <summary>
    /// Moves a row to <paramref name="rowKey"/> holding <paramref name="sealedAddress"/>, in one transaction (so it is
    /// in exactly one place); a row already moved is nothing to do.
    /// </summary>
    public async Task MoveAsync(PendingRecipient pending, string rowKey, string sealedAddress, CancellationToken cancellationToken)
    {
        try
        {
            await _table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, Row(pending.SurveyId, rowKey, sealedAddress)),
                    new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(pending.SurveyId, pending.RowKey), ETag.All),
                ],
                cancellationToken);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 404)
        {
            // Moved already.
        }
    }

    /// <summary>How many of the survey's addresses are set aside as unreadable.</summary>
    public async Task<int> UnreadableCountAsync(string surveyId, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var _ in _table.QueryAsync<TableEntity>(InRange(surveyId, UnreadablePrefix), maxPerPage: PageSize, select: ["RowKey"], cancellationToken: cancellationToken)) count++;
        return count;
    }

    /// <summary>
    /// Puts every unreadable address of the survey back in the pool (once the cause, such as a changed secret, is
    /// fixed), to wait for a batch like any other. Each row is added back and deleted from the unreadable range in one
    /// transaction (50 rows to a transaction): a crash loses nothing and duplicates nothing.
    /// </summary>
    public async Task<int> ReplayUnreadableAsync(string surveyId, CancellationToken cancellationToken)
    {
        var rows = new List<PendingRecipient>();
        await foreach (var row in _table.QueryAsync<TableEntity>(InRange(surveyId, UnreadablePrefix), maxPerPage: PageSize, cancellationToken: cancellationToken)) rows.Add(FromEntity(row));
        foreach (var chunk in rows.Chunk(TransactionSize / 2))
        {
            await _table.SubmitTransactionAsync(
                chunk.SelectMany(r => new[]
                {
                    new TableTransactionAction(TableTransactionActionType.Add, Row(surveyId, WaitingPrefix + RestOf(r.RowKey), r.Sealed)),
                    new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(surveyId, r.RowKey), ETag.All),
                }),
                cancellationToken);
        }
        return rows.Count;
    }

    /// <summary>The key a waiting row is set aside under when its seal will not open: the same rest, under <c>u|</c>.</summary>
    public static string UnreadableKeyFor(string waitingKey) => UnreadablePrefix + RestOf(waitingKey);

    /// <summary>A key of an older layout: a waiting row under <c>r|</c>, or any row whose key holds an arrival time.</summary>
    public static bool IsLegacy(string rowKey) =>
        rowKey.StartsWith(LegacyWaitingPrefix, StringComparison.Ordinal) || ArrivalTicks().IsMatch(rowKey);

    private static string RestOf(string rowKey) => rowKey.Length > 2 && rowKey[1] == '|' ? rowKey[2..] : rowKey;

    private static string InRange(string surveyId, string prefix) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {surveyId} and RowKey ge {prefix} and RowKey lt {prefix[..^1] + RangeEnd}");

    private async Task DeleteChunkAsync(string surveyId, List<string> rowKeys, CancellationToken cancellationToken)
    {
        while (rowKeys.Count > 0)
        {
            try
            {
                await _table.SubmitTransactionAsync(
                    [.. rowKeys.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(surveyId, k), ETag.All))],
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
                foreach (var key in rowKeys) await DeleteOneAsync(surveyId, key, cancellationToken);
                return;
            }
        }
    }

    private async Task DeleteOneAsync(string surveyId, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(surveyId, rowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already gone.
        }
    }

    private static TableEntity Row(string surveyId, string rowKey, string sealedAddress) => new(surveyId, rowKey) { ["Sealed"] = sealedAddress };

    private static PendingRecipient FromEntity(TableEntity row) => new(row.PartitionKey, row.RowKey, row.GetString("Sealed") ?? "");

    // The older layout's key: a prefix, 19 digits of UTC ticks, '|', random hex.
    [GeneratedRegex("^[a-z]\\|[0-9]{19}\\|")]
    private static partial Regex ArrivalTicks();
}
