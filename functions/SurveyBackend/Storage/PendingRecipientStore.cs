using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;

namespace SurveyBackend.Storage;

/// <summary>
/// An address waiting to be written to the recipients table: sealed under the app's secret, in its survey's
/// partition. No submission id, no response key, nothing that points at the response.
/// </summary>
public sealed record PendingRecipient(string SurveyId, string RowKey, string Sealed);

/// <summary>
/// The holding pool where sealed addresses wait until they are written, all at once and in random order, to the
/// recipients table (see <c>RecipientFlusher</c>). The pool lives in the <c>submissions</c> table, in each survey's
/// own partition, so that a finished submission's pending row is deleted and its sealed address added in one entity
/// group transaction (<see cref="SubmissionStore.CompleteAsync"/>): one call where there were two, and no moment at
/// which one is stored without the other.
/// <para>
/// RowKey <c>r|</c> + the arrival time (UTC ticks, 19 digits) + <c>|</c> + random hex: the range <c>r|</c>…<c>r}</c>
/// holds only waiting addresses, oldest first, apart from the key rows (hex, below <c>p</c>) and the pending rows
/// (<c>p|</c>). The one property is <c>Sealed</c>; the row is deleted once its address is written. An address whose
/// seal would not open (another secret, or tampering) is moved to <c>u|</c> + the same rest of its key, set aside so
/// it holds up nothing, until an admin replays it.
/// </para>
/// <para>
/// A table rather than a queue: a flush is a range query of up to 1,000 rows and deletes in entity-group
/// transactions of 100, where a queue takes a receive per 32 messages and a delete per message.
/// </para>
/// </summary>
public sealed partial class PendingRecipientStore(TableServiceClient tableService, TimeProvider clock)
{
    /// <summary>The RowKey prefix of a waiting address.</summary>
    public const string WaitingPrefix = "r|";
    /// <summary>The RowKey prefix of an address set aside because its seal would not open.</summary>
    public const string UnreadablePrefix = "u|";
    // '}' is the character after '|': every key with a prefix is below the prefix's letter + '}'.
    private const char RangeEnd = '}';
    private const int PageSize = 1000;
    private const int TransactionSize = 100;

    private readonly TableClient _table = tableService.GetTableClient(TableNames.Submissions);

    /// <summary>A waiting row's key: sorts by arrival (ordinal), unique without coordination.</summary>
    public static string RowKeyFor(DateTimeOffset arrived) =>
        WaitingPrefix + arrived.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "|" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>When the waiting row with this key arrived; null for a key this store did not make.</summary>
    public static DateTimeOffset? ArrivedAt(string rowKey)
    {
        if (!rowKey.StartsWith(WaitingPrefix, StringComparison.Ordinal)) return null;
        var rest = rowKey.AsSpan(WaitingPrefix.Length);
        return rest.Length > 19 && rest[19] == '|' && long.TryParse(rest[..19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : null;
    }

    /// <summary>A new waiting row for <paramref name="sealedAddress"/>, arriving at <paramref name="arrived"/>: the one shape every writer of the pool uses.</summary>
    public static TableEntity WaitingRow(string surveyId, string sealedAddress, DateTimeOffset arrived) =>
        Row(surveyId, RowKeyFor(arrived), sealedAddress);

    /// <summary>When the survey's oldest waiting address arrived (one row read); null when none is waiting.</summary>
    public async Task<DateTimeOffset?> OldestWaitingAsync(string surveyId, CancellationToken cancellationToken)
    {
        await foreach (var page in _table.QueryAsync<TableEntity>(InRange(surveyId, WaitingPrefix), maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken).AsPages())
        {
            if (page.Values.Count == 0) continue;
            var first = page.Values[0];
            // A key not made by RowKeyFor still counts as waiting: its own timestamp says since when.
            return ArrivedAt(first.RowKey) ?? first.Timestamp ?? DateTimeOffset.MinValue;
        }
        return null;
    }

    /// <summary>Up to <paramref name="max"/> of the survey's waiting addresses, oldest first, read in pages of 1,000.</summary>
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
    /// Sets an address whose seal would not open aside: moved from <c>r|</c> to <c>u|</c> in one transaction, so it is
    /// in exactly one of the two. Already gone (another flush moved or wrote it) is nothing to do.
    /// </summary>
    public async Task MarkUnreadableAsync(PendingRecipient pending, CancellationToken cancellationToken)
    {
        try
        {
            await _table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, Row(pending.SurveyId, UnreadableKeyFor(pending.RowKey), pending.Sealed)),
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
    /// fixed), as if it arrived now, so it waits for a batch like any other. Each row is added back and deleted from
    /// the unreadable range in one transaction (50 rows to a transaction): a crash loses nothing and duplicates nothing.
    /// </summary>
    public async Task<int> ReplayUnreadableAsync(string surveyId, CancellationToken cancellationToken)
    {
        var rows = new List<PendingRecipient>();
        await foreach (var row in _table.QueryAsync<TableEntity>(InRange(surveyId, UnreadablePrefix), maxPerPage: PageSize, cancellationToken: cancellationToken)) rows.Add(FromEntity(row));
        foreach (var chunk in rows.Chunk(TransactionSize / 2))
        {
            var now = clock.GetUtcNow();
            await _table.SubmitTransactionAsync(
                chunk.SelectMany(r => new[]
                {
                    new TableTransactionAction(TableTransactionActionType.Add, WaitingRow(surveyId, r.Sealed, now)),
                    new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(surveyId, r.RowKey), ETag.All),
                }),
                cancellationToken);
        }
        return rows.Count;
    }

    /// <summary>The key a waiting row is set aside under when its seal will not open.</summary>
    public static string UnreadableKeyFor(string waitingKey) =>
        UnreadablePrefix + (waitingKey.StartsWith(WaitingPrefix, StringComparison.Ordinal) ? waitingKey[WaitingPrefix.Length..] : waitingKey);

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
}
