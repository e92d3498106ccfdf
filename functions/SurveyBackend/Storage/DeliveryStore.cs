using Azure.Data.Tables;

namespace SurveyBackend.Storage;

public enum DeliveryState
{
    /// <summary>Not yet accepted by the provider (new, or its batch failed for a reason worth retrying).</summary>
    Pending,
    Sent,
    /// <summary>The provider refused it for good; <see cref="Delivery.Reason"/> says why.</summary>
    Failed,
    /// <summary>The address had unsubscribed before it was sent.</summary>
    Unsubscribed,
}

/// <summary>One recipient's state for one report. Holds the recipient key (a keyed hash), never the address.</summary>
public sealed record Delivery(string RecipientKey, DeliveryState State, string? Reason = null, int Attempts = 0);

/// <summary>A report's deliveries counted, kept as one row once its recipients' rows are deleted under retention.</summary>
public sealed record DeliveryCounts(int Sent, int Failed, int Pending, int Unsubscribed, IReadOnlyDictionary<string, int> Failures)
{
    public int Recipients => Sent + Failed + Pending + Unsubscribed;

    public static DeliveryCounts Of(IEnumerable<Delivery> deliveries)
    {
        var all = deliveries.ToList();
        return new(
            all.Count(d => d.State == DeliveryState.Sent),
            all.Count(d => d.State == DeliveryState.Failed),
            all.Count(d => d.State == DeliveryState.Pending),
            all.Count(d => d.State == DeliveryState.Unsubscribed),
            all.Where(d => d.State == DeliveryState.Failed).GroupBy(d => d.Reason ?? "unknown").ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal));
    }
}

/// <summary>
/// The <c>deliveries</c> table. PartitionKey = report id, RowKey = recipient key, so one report's states are
/// one partition: written 100 at a time in entity-group transactions and read in one scan. Once the report's
/// addresses are deleted under retention, the partition holds only its counts row (<see cref="CountsRow"/>).
/// </summary>
public sealed class DeliveryStore(TableServiceClient tableService)
{
    /// <summary>The RowKey of a report's counts once its deliveries are deleted: '~' sorts after every recipient key (hex).</summary>
    public const string CountsRow = "~counts";

    // The most entities an entity-group transaction takes.
    private const int TransactionSize = 100;
    // Transactions in flight at once: a batch of 1,000 is 10 transactions; the table service takes them in parallel.
    private const int ParallelTransactions = 5;

    private readonly TableClient _table = tableService.GetTableClient(TableNames.Deliveries);

    public async IAsyncEnumerable<Delivery> ListAsync(string reportId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {reportId}");
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, select: ["RowKey", "State", "Reason", "Attempts"], cancellationToken: cancellationToken))
        {
            if (e.RowKey == CountsRow) continue;
            yield return new Delivery(
                e.RowKey,
                Enum.TryParse<DeliveryState>(e.GetString("State"), out var state) ? state : DeliveryState.Pending,
                e.GetString("Reason"),
                e.GetInt32("Attempts") ?? 0);
        }
    }

    /// <summary>
    /// Writes the states (replacing what was there), 100 per transaction, a few transactions at once. Each
    /// transaction is all-or-nothing; if some fail, the exception says so and their rows keep their old state.
    /// </summary>
    public async Task SetAsync(string reportId, IReadOnlyCollection<Delivery> deliveries, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(deliveries.Chunk(TransactionSize),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelTransactions, CancellationToken = cancellationToken },
            async (chunk, ct) =>
        {
            var actions = chunk.Select(d => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                new TableEntity(reportId, d.RecipientKey)
                {
                    ["State"] = d.State.ToString(),
                    ["Reason"] = d.Reason,
                    ["Attempts"] = d.Attempts,
                    ["UpdatedAt"] = now,
                }));
            await _table.SubmitTransactionAsync(actions, ct);
        });
    }

    /// <summary>The counts kept for a report whose deliveries were deleted; null while its deliveries are kept.</summary>
    public async Task<DeliveryCounts?> FindCountsAsync(string reportId, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(reportId, CountsRow, cancellationToken: cancellationToken);
        if (!row.HasValue || row.Value is not { } e) return null;
        return new DeliveryCounts(e.GetInt32("Sent") ?? 0, e.GetInt32("Failed") ?? 0, e.GetInt32("Pending") ?? 0, e.GetInt32("Unsubscribed") ?? 0,
            System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, int>>(e.GetString("Failures") ?? "{}") ?? []);
    }

    /// <summary>
    /// Replaces the report's delivery rows with one row of counts, written first so that a crash leaves both and the next
    /// call finishes. Recipients not yet mailed count as failed with <paramref name="notSentReason"/>: their address is going.
    /// </summary>
    public async Task<DeliveryCounts> CompactAsync(string reportId, IReadOnlySet<string> recipientKeys, string notSentReason, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(reportId, cancellationToken).ToListAsync(cancellationToken);
        var counts = await FindCountsAsync(reportId, cancellationToken);
        if (counts is null)
        {
            var notSent = recipientKeys.Except(rows.Select(r => r.RecipientKey)).Count();
            counts = DeliveryCounts.Of(rows.Select(d => d.State == DeliveryState.Pending ? d with { State = DeliveryState.Failed, Reason = notSentReason } : d)
                .Concat(Enumerable.Repeat(new Delivery("", DeliveryState.Failed, notSentReason), notSent)));
            await _table.UpsertEntityAsync(new TableEntity(reportId, CountsRow)
            {
                ["Sent"] = counts.Sent,
                ["Failed"] = counts.Failed,
                ["Pending"] = counts.Pending,
                ["Unsubscribed"] = counts.Unsubscribed,
                ["Failures"] = System.Text.Json.JsonSerializer.Serialize(counts.Failures),
            }, TableUpdateMode.Replace, cancellationToken);
        }
        foreach (var chunk in rows.Chunk(TransactionSize))
        {
            await _table.SubmitTransactionAsync(chunk.Select(d => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(reportId, d.RecipientKey), Azure.ETag.All)), cancellationToken);
        }
        return counts;
    }

    /// <summary>A key for a row that keeps a state and nothing of whom it was for: '~' sorts after every recipient key.</summary>
    public static string ErasedKey() => "~erased|" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// Erases one recipient from each report named: their row is replaced, in one transaction, by a row with the same
    /// state under a random key (<see cref="ErasedKey"/>), so the report's counts stay and nothing ties the row to the
    /// address any more. A report with no row for them is nothing to do.
    /// </summary>
    public async Task AnonymiseAsync(IEnumerable<string> reportIds, string recipientKey, CancellationToken cancellationToken)
    {
        foreach (var reportId in reportIds)
        {
            for (var attempt = 1; ; attempt++)
            {
                var row = await _table.GetEntityIfExistsAsync<TableEntity>(reportId, recipientKey, cancellationToken: cancellationToken);
                if (!row.HasValue || row.Value is not { } found) break;
                var kept = new TableEntity(reportId, ErasedKey()) { ["State"] = found.GetString("State"), ["Reason"] = found.GetString("Reason"), ["Attempts"] = found.GetInt32("Attempts") };
                try
                {
                    await _table.SubmitTransactionAsync(
                        [new TableTransactionAction(TableTransactionActionType.Delete, found, found.ETag), new TableTransactionAction(TableTransactionActionType.Add, kept)],
                        cancellationToken);
                    break;
                }
                catch (TableTransactionFailedException ex) when (ex.Status is 404 or 412 && attempt < 3)
                {
                    // The mailer wrote it meanwhile: read it again.
                }
            }
        }
    }
}
