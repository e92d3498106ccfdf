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

/// <summary>
/// The <c>deliveries</c> table. PartitionKey = report id, RowKey = recipient key, so one report's states are
/// one partition: written 100 at a time in entity-group transactions and read in one scan.
/// </summary>
public sealed class DeliveryStore(TableServiceClient tableService)
{
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
}
