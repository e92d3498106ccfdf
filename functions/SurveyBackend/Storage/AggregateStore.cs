using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace SurveyBackend.Storage;

/// <summary>One counter row: the counts of one scope (everyone, or one segment) in one shard, and its ETag.</summary>
public sealed record CounterRow(string Scope, IReadOnlyDictionary<string, long> Counts, ETag? ETag);

/// <summary>
/// What a transaction did. Applied: the counter rows as now stored, with their new ETags. AlreadyCounted: the
/// responses that were stored before (nothing was written; the others can go again without them).
/// </summary>
public sealed record ApplyResult(ApplyOutcome Outcome, IReadOnlyList<CounterRow> Stored, IReadOnlySet<string> Counted)
{
    public static ApplyResult Conflict { get; } = new(ApplyOutcome.Conflict, [], new HashSet<string>());
}

public enum ApplyOutcome
{
    /// <summary>Every response and every counter row were written, atomically.</summary>
    Applied,
    /// <summary>Some of the responses were already there: they were counted before. Nothing was written.</summary>
    AlreadyCounted,
    /// <summary>Another writer changed a counter row first (ETag or insert race). Nothing was written; read again.</summary>
    Conflict,
}

/// <summary>
/// The <c>aggregates</c> table. Counters are sharded: PartitionKey = <c>{surveyId}|shard-NNN</c>, one row per scope
/// (RowKey <c>c|all</c> or <c>c|seg|{question}|{option}</c>) holding that scope's counters as JSON. Beside them in the
/// same partition, each anonymous response itself (RowKey <c>r|{responseKey}</c>: <c>Day</c> and <c>AnswersJson</c>),
/// written in the same entity group transaction as the counter updates. The response is its own counting marker:
/// it and its counts go in together or not at all, and a replay fails on the response already there.
/// </summary>
public sealed class AggregateStore(TableServiceClient tableService)
{
    // A string property holds at most 32K UTF-16 characters; a large survey's counters are split across properties.
    private const int PartLength = 30_000;
    // '}' is the character after '|': every counter RowKey is below c}, every response RowKey below r}.
    private const string CounterPrefix = "c|";
    private const string CounterEnd = "c}";
    private const string ResponsePrefix = "r|";
    private const string ResponseEnd = "r}";
    private const int MaxEntitiesPerTransaction = 100;

    /// <summary>A transaction holds at most 100 entities; at least one of them is a counter row.</summary>
    public const int MaxResponsesPerTransaction = MaxEntitiesPerTransaction - 1;

    /// <summary>Whether a transaction of this many responses and counter rows fits Table Storage's limit.</summary>
    public static bool Fits(int responses, int rows) => responses + rows <= MaxEntitiesPerTransaction;

    private readonly TableClient _table = tableService.GetTableClient(TableNames.Aggregates);

    public static string ShardPartition(string surveyId, int shard) => $"{surveyId}|shard-{shard:D3}";

    /// <summary>
    /// Every response row of a survey, whatever the shard count: the partitions <c>{surveyId}|shard-…</c> (a range,
    /// as '.' follows '-') and in each the rows <c>r|…</c>.
    /// </summary>
    internal static string ResponsesOf(string surveyId)
    {
        string first = $"{surveyId}|shard-", after = $"{surveyId}|shard.";
        return TableClient.CreateQueryFilter($"PartitionKey ge {first} and PartitionKey lt {after} and RowKey ge {ResponsePrefix} and RowKey lt {ResponseEnd}");
    }

    /// <summary>The RowKey of a stored response (and so of its counting marker) in its shard's partition.</summary>
    public static string ResponseRowKey(string responseKey) => ResponsePrefix + responseKey;

    internal static AnonymousResponse ResponseFrom(string surveyId, TableEntity row) =>
        new(surveyId, row.RowKey[ResponsePrefix.Length..], row.GetString("Day") ?? "", Answers.FromJson(row.GetString("AnswersJson")));

    public async Task<CounterRow?> ReadAsync(string surveyId, int shard, string scope, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(ShardPartition(surveyId, shard), CounterPrefix + scope, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } entity ? new CounterRow(scope, ReadCounts(entity), entity.ETag) : null;
    }

    /// <summary>Every counter row of one shard, in one query (the responses beside them are not read).</summary>
    public async Task<IReadOnlyList<CounterRow>> ReadShardAsync(string surveyId, int shard, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ShardPartition(surveyId, shard)} and RowKey ge {CounterPrefix} and RowKey lt {CounterEnd}");
        var rows = new List<CounterRow>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            rows.Add(new CounterRow(entity.RowKey[CounterPrefix.Length..], ReadCounts(entity), entity.ETag));
        }
        return rows;
    }

    public async Task<bool> IsCountedAsync(string surveyId, int shard, string responseKey, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(ShardPartition(surveyId, shard), ResponsePrefix + responseKey, select: ["RowKey"], cancellationToken: cancellationToken);
        return row.HasValue;
    }

    /// <summary>
    /// In one transaction: insert each response, and write each counter row (insert when it has no ETag, else replace
    /// if its ETag still matches). A replay fails on a response already there; a race fails on a counter row.
    /// </summary>
    public async Task<ApplyResult> TryApplyAsync(
        string surveyId, int shard, IReadOnlyList<AnonymousResponse> responses, IReadOnlyList<CounterRow> rows, CancellationToken cancellationToken)
    {
        var partition = ShardPartition(surveyId, shard);
        var responseKeys = responses.Select(r => r.ResponseKey).ToList();
        var actions = new List<TableTransactionAction>(responses.Count + rows.Count);
        actions.AddRange(responses.Select(response => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, ResponseRowKey(response.ResponseKey))
        {
            ["Day"] = response.Day,
            ["AnswersJson"] = response.Answers.ToJson(),
        })));
        foreach (var row in rows)
        {
            var entity = ToEntity(partition, row);
            actions.Add(row.ETag is { } etag
                ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, etag)
                : new TableTransactionAction(TableTransactionActionType.Add, entity));
        }
        try
        {
            var results = (await _table.SubmitTransactionAsync(actions, cancellationToken)).Value;
            // Sub-responses come in the order of the actions: the responses first, then the counter rows.
            var stored = rows.Select((row, i) => results.Count > responseKeys.Count + i && results[responseKeys.Count + i].Headers.ETag is { } etag
                ? row with { ETag = etag } : row with { ETag = null }).ToList();
            return new ApplyResult(ApplyOutcome.Applied, stored, new HashSet<string>());
        }
        catch (Exception ex) when (ex is TableTransactionFailedException { Status: 404 or 409 or 412 } or RequestFailedException { Status: 404 or 409 or 412 })
        {
            // 404: a remembered row was deleted (a repair). The failing action's index is not reported alike by every
            // service version: ask the responses themselves.
            var found = await Task.WhenAll(responseKeys.Select(async key => (key, counted: await IsCountedAsync(surveyId, shard, key, cancellationToken))));
            var counted = found.Where(f => f.counted).Select(f => f.key).ToHashSet(StringComparer.Ordinal);
            return counted.Count > 0 ? new ApplyResult(ApplyOutcome.AlreadyCounted, [], counted) : ApplyResult.Conflict;
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
