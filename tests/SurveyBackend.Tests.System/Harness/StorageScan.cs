using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace SurveyBackend.Tests.System.Harness;

/// <summary>One row of any table, with every property but the bookkeeping ones (Timestamp, ETag).</summary>
public sealed record StoredRow(string Table, string PartitionKey, string RowKey, IReadOnlyDictionary<string, string> Properties)
{
    public override string ToString() =>
        $"{Table}[{PartitionKey}|{RowKey}] {string.Join(", ", Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}";
}

/// <summary>One queue: its approximate length and the text of the messages it shows on a peek (decoded from base64).</summary>
public sealed record StoredQueue(string Name, int ApproximateCount, IReadOnlyList<string> Peeked);

/// <summary>
/// Everything in storage, read with the Azure SDKs straight from Azurite: every table's rows, every queue's
/// messages. Independent of how each area lays out its data, so it can prove "nothing stored" and "no
/// personal data anywhere" without knowing the schema.
/// </summary>
public sealed record StorageSnapshot(IReadOnlyList<StoredRow> Rows, IReadOnlyList<StoredQueue> Queues)
{
    public static async Task<StorageSnapshot> TakeAsync(string connectionString)
    {
        var tables = new TableServiceClient(connectionString);
        var rows = new List<StoredRow>();
        await foreach (var table in tables.QueryAsync())
        {
            await foreach (var entity in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                var properties = entity
                    .Where(p => p.Key is not ("odata.etag" or "Timestamp" or "PartitionKey" or "RowKey"))
                    .ToDictionary(p => p.Key, p => Convert.ToString(p.Value, global::System.Globalization.CultureInfo.InvariantCulture) ?? "", StringComparer.Ordinal);
                rows.Add(new StoredRow(table.Name, entity.PartitionKey, entity.RowKey, properties));
            }
        }

        var queueService = new QueueServiceClient(connectionString);
        var queues = new List<StoredQueue>();
        await foreach (var queue in queueService.GetQueuesAsync())
        {
            var client = queueService.GetQueueClient(queue.Name);
            var properties = await client.GetPropertiesAsync();
            PeekedMessage[] peeked = (await client.PeekMessagesAsync(32)).Value;
            queues.Add(new StoredQueue(queue.Name, properties.Value.ApproximateMessagesCount, [.. peeked.Select(m => Decode(m.Body.ToString()))]));
        }
        return new StorageSnapshot(rows, queues);
    }

    public IEnumerable<StoredRow> InTable(string table) => Rows.Where(r => r.Table == table);

    public int QueueLength(string queue) => Queues.FirstOrDefault(q => q.Name == queue)?.ApproximateCount ?? 0;

    /// <summary>Where a piece of text occurs: any row's key or property, any peeked message.</summary>
    public IEnumerable<string> WhereFound(string needle)
    {
        foreach (var row in Rows)
        {
            if (row.PartitionKey.Contains(needle, StringComparison.OrdinalIgnoreCase)
                || row.RowKey.Contains(needle, StringComparison.OrdinalIgnoreCase)
                || row.Properties.Values.Any(v => v.Contains(needle, StringComparison.OrdinalIgnoreCase)))
                yield return $"table {row.Table}";
        }
        foreach (var queue in Queues)
        {
            if (queue.Peeked.Any(m => m.Contains(needle, StringComparison.OrdinalIgnoreCase))) yield return $"queue {queue.Name}";
        }
    }

    /// <summary>Row counts per table, raw submissions by state, queue lengths: what to look at when counts are wrong.</summary>
    public string Summary() =>
        "tables: " + string.Join(", ", Rows.GroupBy(r => r.Table).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}")) +
        "; submissions by state: " + string.Join(", ", InTable("submissions").GroupBy(r => r.Properties.GetValueOrDefault("State") ?? "?").Select(g => $"{g.Key}={g.Count()}")) +
        "; queues (visible/all): " + string.Join(", ", Queues.Select(q => $"{q.Name}={q.Peeked.Count}/{q.ApproximateCount}"));

    /// <summary>What differs between two snapshots, one line per difference (empty when equal).</summary>
    public IReadOnlyList<string> DifferencesFrom(StorageSnapshot before)
    {
        var was = before.Rows.Select(r => r.ToString()).ToHashSet(StringComparer.Ordinal);
        var now = Rows.Select(r => r.ToString()).ToHashSet(StringComparer.Ordinal);
        var differences = new List<string>();
        differences.AddRange(now.Except(was).Select(r => "added or changed: " + r));
        differences.AddRange(was.Except(now).Select(r => "removed or changed: " + r));
        foreach (var queue in Queues.Where(q => !q.Name.StartsWith("azure-webjobs", StringComparison.Ordinal)))
        {
            var previous = before.QueueLength(queue.Name);
            if (queue.ApproximateCount != previous) differences.Add($"queue {queue.Name}: {previous} → {queue.ApproximateCount} messages");
        }
        return differences;
    }

    private static string Decode(string body)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(body));
        }
        catch (FormatException)
        {
            return body;
        }
    }
}
