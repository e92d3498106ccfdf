using System.Collections.Concurrent;
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
/// The <c>aggregates</c> table, sharded: PartitionKey <c>{surveyId}|shard-NNN</c>, a row per scope (RowKey <c>c|all</c>
/// or <c>c|seg|{question}|{option}</c>) with its counters as JSON, and beside them each anonymous response (RowKey
/// <c>r|{responseKey}</c>), written in the same transaction: it is its own counting marker, so a replay fails on it.
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
    // The counter rows as this instance last wrote or read them, with their ETags, and the shards it has read whole.
    private readonly ConcurrentDictionary<(string SurveyId, int Shard, string Scope), CounterRow> _remembered = new();
    private readonly ConcurrentDictionary<(string SurveyId, int Shard), bool> _loadedShards = new();

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
    /// Counts <paramref name="responses"/> in one transaction: each inserted, and <paramref name="increments"/> (scope →
    /// counter → how many) added to the counter rows on their ETags. The rows are as this instance remembers them, or
    /// read afresh when <paramref name="fresh"/>: a stale copy costs a conflict and a fresh read, never a wrong count.
    /// </summary>
    public async Task<ApplyResult> TryCountAsync(string surveyId, int shard, IReadOnlyList<AnonymousResponse> responses,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> increments, bool fresh, CancellationToken cancellationToken)
    {
        var current = fresh
            ? await Task.WhenAll(increments.Keys.Select(scope => ReadAsync(surveyId, shard, scope, cancellationToken)))
            : await RememberedRowsAsync(surveyId, shard, increments.Keys, cancellationToken);
        var rows = increments.Keys.Zip(current, (scope, row) => new CounterRow(scope, Add(row?.Counts, increments[scope]), row?.ETag)).ToList();

        var result = await TryApplyAsync(surveyId, shard, responses, rows, cancellationToken);
        if (result.Outcome == ApplyOutcome.Applied)
        {
            foreach (var row in result.Stored)
            {
                if (row.ETag is null) Forget(surveyId, shard, row.Scope);
                else _remembered[(surveyId, shard, row.Scope)] = row;
            }
        }
        else if (result.Outcome == ApplyOutcome.Conflict)
        {
            foreach (var scope in increments.Keys) Forget(surveyId, shard, scope);
        }
        return result;
    }

    /// <summary>A copy: a remembered row stays as stored until the transaction succeeds.</summary>
    private static Dictionary<string, long> Add(IReadOnlyDictionary<string, long>? counts, IReadOnlyDictionary<string, long> increments)
    {
        var sum = new Dictionary<string, long>(counts ?? new Dictionary<string, long>(), StringComparer.Ordinal);
        foreach (var (counter, by) in increments) sum[counter] = sum.GetValueOrDefault(counter) + by;
        return sum;
    }

    /// <summary>
    /// The first count in a shard (or the first after a conflict there) reads all its counter rows in one query rather
    /// than a read per row: Flex scales out and in, and a new instance would pay a read per scope of every shard. A row
    /// the shard lacked then is inserted (null); one made since by another instance fails the insert, and the retry reads it.
    /// </summary>
    private async Task<CounterRow?[]> RememberedRowsAsync(string surveyId, int shard, IEnumerable<string> scopes, CancellationToken cancellationToken)
    {
        if (!_loadedShards.ContainsKey((surveyId, shard)) && !scopes.All(scope => _remembered.ContainsKey((surveyId, shard, scope))))
        {
            foreach (var row in await ReadShardAsync(surveyId, shard, cancellationToken)) _remembered.TryAdd((surveyId, shard, row.Scope), row);
            _loadedShards.TryAdd((surveyId, shard), true);
        }
        return [.. scopes.Select(scope => _remembered.TryGetValue((surveyId, shard, scope), out var row) ? row : null)];
    }

    /// <summary>Forgets a row: the next count in its shard loads the shard again.</summary>
    private void Forget(string surveyId, int shard, string scope)
    {
        _loadedShards.TryRemove((surveyId, shard), out _);
        _remembered.TryRemove((surveyId, shard, scope), out _);
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
