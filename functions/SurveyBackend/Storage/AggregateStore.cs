using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace SurveyBackend.Storage;

/// <summary>One counter row: the counts of one scope (everyone, or one segment) in one shard, and its ETag.</summary>
public sealed record CounterRow(string Scope, IReadOnlyDictionary<string, long> Counts, ETag? ETag);

/// <summary>
/// What a transaction did. Applied: the counter rows as now stored, with their new ETags. AlreadyCounted: the
/// responses whose markers were there before (nothing was written; the others can go again without them).
/// </summary>
public sealed record ApplyResult(ApplyOutcome Outcome, IReadOnlyList<CounterRow> Stored, IReadOnlySet<string> Counted)
{
    public static ApplyResult Conflict { get; } = new(ApplyOutcome.Conflict, [], new HashSet<string>());
}

public enum ApplyOutcome
{
    /// <summary>Every marker and every counter row were written, atomically.</summary>
    Applied,
    /// <summary>Some of the markers were already there: those responses were counted before. Nothing was written.</summary>
    AlreadyCounted,
    /// <summary>Another writer changed a counter row first (ETag or insert race). Nothing was written; read again.</summary>
    Conflict,
}

/// <summary>
/// The <c>aggregates</c> table. Counters are sharded: PartitionKey = <c>{surveyId}|shard-NNN</c>, one row per scope
/// (RowKey <c>c|all</c> or <c>c|seg|{question}|{option}</c>) holding that scope's counters as JSON. Beside them in the
/// same partition, a marker row per counted response (RowKey <c>m|{responseKey}</c>, no other data), written in
/// the same entity group transaction as the counter updates: the marker and the counts go in together or not at all.
/// </summary>
public sealed class AggregateStore(TableServiceClient tableService)
{
    // A string property holds at most 32K UTF-16 characters; a large survey's counters are split across properties.
    private const int PartLength = 30_000;
    private const string CounterPrefix = "c|";
    private const string MarkerPrefix = "m|";
    private const int MaxEntitiesPerTransaction = 100;

    /// <summary>A transaction holds at most 100 entities; at least one of them is a counter row.</summary>
    public const int MaxMarkersPerTransaction = MaxEntitiesPerTransaction - 1;

    /// <summary>Whether a transaction of this many markers and counter rows fits Table Storage's limit.</summary>
    public static bool Fits(int markers, int rows) => markers + rows <= MaxEntitiesPerTransaction;

    private readonly TableClient _table = tableService.GetTableClient(TableNames.Aggregates);

    public static string ShardPartition(string surveyId, int shard) => $"{surveyId}|shard-{shard:D3}";

    public async Task<CounterRow?> ReadAsync(string surveyId, int shard, string scope, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(ShardPartition(surveyId, shard), CounterPrefix + scope, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } entity ? new CounterRow(scope, ReadCounts(entity), entity.ETag) : null;
    }

    public async Task<bool> IsCountedAsync(string surveyId, int shard, string responseKey, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(ShardPartition(surveyId, shard), MarkerPrefix + responseKey, select: ["RowKey"], cancellationToken: cancellationToken);
        return row.HasValue;
    }

    /// <summary>
    /// In one transaction: insert a marker for each response, and write each counter row (insert when it has no ETag,
    /// else replace if its ETag still matches). A replay fails on a marker; a race fails on a counter row.
    /// </summary>
    public async Task<ApplyResult> TryApplyAsync(
        string surveyId, int shard, IReadOnlyList<string> responseKeys, IReadOnlyList<CounterRow> rows, CancellationToken cancellationToken)
    {
        var partition = ShardPartition(surveyId, shard);
        var actions = new List<TableTransactionAction>(responseKeys.Count + rows.Count);
        actions.AddRange(responseKeys.Select(key => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, MarkerPrefix + key))));
        foreach (var row in rows)
        {
            var entity = ToEntity(partition, row);
            actions.Add(row.ETag is { } etag
                ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, etag)
                : new TableTransactionAction(TableTransactionActionType.Add, entity));
        }
        try
        {
            var responses = (await _table.SubmitTransactionAsync(actions, cancellationToken)).Value;
            // Sub-responses come in the order of the actions: the markers first, then the rows.
            var stored = rows.Select((row, i) => responses.Count > responseKeys.Count + i && responses[responseKeys.Count + i].Headers.ETag is { } etag
                ? row with { ETag = etag } : row with { ETag = null }).ToList();
            return new ApplyResult(ApplyOutcome.Applied, stored, new HashSet<string>());
        }
        catch (Exception ex) when (ex is TableTransactionFailedException { Status: 404 or 409 or 412 } or RequestFailedException { Status: 404 or 409 or 412 })
        {
            // 404: a remembered row was deleted (a repair). The failing action's index is not reported alike by every
            // service version: ask the markers themselves.
            var found = await Task.WhenAll(responseKeys.Select(async key => (key, counted: await IsCountedAsync(surveyId, shard, key, cancellationToken))));
            var counted = found.Where(f => f.counted).Select(f => f.key).ToHashSet(StringComparer.Ordinal);
            return counted.Count > 0 ? new ApplyResult(ApplyOutcome.AlreadyCounted, [], counted) : ApplyResult.Conflict;
        }
    }

    /// <summary>
    /// For a rebuild: writes markers (idempotent upserts, a hundred per transaction) for responses counted in this shard.
    /// </summary>
    public async Task UpsertMarkersAsync(string surveyId, int shard, IEnumerable<string> responseKeys, CancellationToken cancellationToken)
    {
        var partition = ShardPartition(surveyId, shard);
        foreach (var chunk in responseKeys.Chunk(MaxEntitiesPerTransaction))
        {
            var actions = chunk.Select(k => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, MarkerPrefix + k))).ToList();
            await _table.SubmitTransactionAsync(actions, cancellationToken);
        }
    }

    /// <summary>
    /// For a rebuild: replaces a shard's counter rows in one transaction, each conditional on the ETag read before
    /// the rebuild scanned the responses (insert for a row that was not there). False when a worker counted meanwhile.
    /// </summary>
    public async Task<bool> TryReplaceCountersAsync(string surveyId, int shard, IReadOnlyList<CounterRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return true;
        var partition = ShardPartition(surveyId, shard);
        try
        {
            foreach (var chunk in rows.Chunk(MaxEntitiesPerTransaction))
            {
                var actions = chunk.Select(row => row.ETag is { } etag
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(partition, row), etag)
                    : new TableTransactionAction(TableTransactionActionType.Add, ToEntity(partition, row))).ToList();
                await _table.SubmitTransactionAsync(actions, cancellationToken);
            }
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    private static TableEntity ToEntity(string partition, CounterRow row)
    {
        var entity = new TableEntity(partition, CounterPrefix + row.Scope);
        var json = JsonSerializer.Serialize(row.Counts);
        for (var i = 0; i * PartLength < json.Length; i++)
        {
            entity[$"Part{i}"] = json.Substring(i * PartLength, Math.Min(PartLength, json.Length - i * PartLength));
        }
        return entity;
    }

    private static Dictionary<string, long> ReadCounts(TableEntity entity)
    {
        var json = new StringBuilder();
        for (var i = 0; entity.GetString($"Part{i}") is { } part; i++) json.Append(part);
        return json.Length == 0 ? [] : JsonSerializer.Deserialize<Dictionary<string, long>>(json.ToString()) ?? [];
    }
}
