using Azure.Data.Tables;

namespace SurveyBackend.Storage;

/// <summary>
/// The <c>unsubscribes</c> table, the suppression list: one row per address that left every mailing, keyed by
/// a keyed hash of the normalised address (<c>PrivacyKeys.ForUnsubscribe</c>). The address
/// itself is never stored here, so the list outlives recipient retention without keeping anyone's email.
/// </summary>
public sealed class UnsubscribeStore(TableServiceClient tableService)
{
    private const string Partition = "unsubscribed";

    private readonly TableClient _table = tableService.GetTableClient(TableNames.Unsubscribes);

    /// <summary>Adds the address key; adding it again changes nothing (a replayed link is harmless).</summary>
    public Task AddAsync(string addressKey, DateTimeOffset now, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(new TableEntity(Partition, addressKey) { ["At"] = now }, TableUpdateMode.Merge, cancellationToken);

    /// <summary>The whole list, read once per mailer run (far fewer rows than recipients, and one scan beats a look-up each).</summary>
    public async Task<HashSet<string>> LoadAllAsync(CancellationToken cancellationToken)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            keys.Add(e.RowKey);
        }
        return keys;
    }
}
