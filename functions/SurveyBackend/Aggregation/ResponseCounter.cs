using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurveyBackend.Storage;

namespace SurveyBackend.Aggregation;

/// <summary>
/// Stores and counts a response exactly once. The response's shard is fixed by its key; in that shard's partition one
/// entity group transaction inserts the response itself (<c>r|{responseKey}</c>, its own counting marker) and replaces
/// the touched counter rows on their ETags. A replay fails on the response already there (already counted); a
/// concurrent writer fails the ETag (read again and retry). Either the response and all its increments are stored,
/// or none of them.
/// <para>Group commit: the workers of this instance that count in the same shard at once take turns, and whoever's
/// turn it is counts everything waiting (up to <see cref="AggregationOptions.MaxResponsesPerTransaction"/>) in one
/// transaction: its responses and the sum of their increments. Still atomic per group, and each response is answered
/// only once its group is stored. Other instances are still raced on ETags.</para>
/// <para>The rows this instance last wrote are kept in memory with their ETags, so a first attempt usually needs no
/// read (and an instance new to a shard reads all its rows in one query); a stale copy (another instance wrote since)
/// only costs a conflict and a fresh read, never a wrong count.</para>
/// </summary>
public sealed class ResponseCounter(AggregateStore store, IOptions<AggregationOptions> options, ILogger<ResponseCounter> logger)
{
    private const int MaxAttempts = 200;
    private readonly ConcurrentDictionary<(string SurveyId, int Shard, string Scope), CounterRow> _lastWritten = new();
    private readonly ConcurrentDictionary<(string SurveyId, int Shard), ShardTurns> _turns = new();
    private readonly ConcurrentDictionary<(string SurveyId, int Shard), bool> _loadedShards = new();

    public int Shards => options.Value.Shards;

    public int ShardOf(string responseKey) => ShardOf(responseKey, Shards);

    /// <summary>The response key is a hex HMAC, so its first bytes are uniform.</summary>
    public static int ShardOf(string responseKey, int shards) =>
        (int)(uint.Parse(responseKey.AsSpan(0, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture) % (uint)shards);

    /// <summary>
    /// True when this call stored and counted the response; false when it had been counted before. Its day (yyyy-MM-dd)
    /// is counted in the same transaction (see <see cref="Tally.For"/>).
    /// </summary>
    public async Task<bool> CountAsync(AnonymousResponse response, IReadOnlyList<string> segments, CancellationToken cancellationToken)
    {
        var surveyId = response.SurveyId;
        var shard = ShardOf(response.ResponseKey);
        var count = new PendingCount(response, Tally.For(response.Answers.Chosen, segments, response.Day));
        if (options.Value.MaxResponsesPerTransaction == 1)
        {
            await CommitAsync(surveyId, shard, [count], cancellationToken);
            return await count.Result.Task;
        }

        var turns = _turns.GetOrAdd((surveyId, shard), _ => new ShardTurns());
        turns.Waiting.Enqueue(count);
        while (!count.Result.Task.IsCompleted)
        {
            await turns.Gate.WaitAsync(cancellationToken);
            try
            {
                // Whoever holds the gate takes what waits, oldest first; a count is answered before the gate is let go.
                if (!count.Result.Task.IsCompleted) await CommitAsync(surveyId, shard, TakeGroup(turns.Waiting), cancellationToken);
            }
            finally
            {
                turns.Gate.Release();
            }
        }
        return await count.Result.Task;
    }

    private List<PendingCount> TakeGroup(ConcurrentQueue<PendingCount> waiting)
    {
        var group = new List<PendingCount>();
        var scopes = new HashSet<string>(StringComparer.Ordinal);
        while (group.Count < options.Value.MaxResponsesPerTransaction
            && waiting.TryPeek(out var next)
            // The same response twice (a message delivered to two workers at once) goes in the next group, as a replay.
            && group.TrueForAll(c => c.ResponseKey != next.ResponseKey)
            && AggregateStore.Fits(group.Count + 1, scopes.Union(next.Increments.Keys).Count())
            && waiting.TryDequeue(out next))
        {
            group.Add(next);
            scopes.UnionWith(next.Increments.Keys);
        }
        return group;
    }

    /// <summary>Stores the group's responses and increments in one transaction, and answers each of its counts.</summary>
    private async Task CommitAsync(string surveyId, int shard, List<PendingCount> group, CancellationToken cancellationToken)
    {
        try
        {
            for (var attempt = 1; attempt <= MaxAttempts && group.Count > 0; attempt++)
            {
                var result = await TryApplyAsync(surveyId, shard, group, fresh: attempt > 1, cancellationToken);
                switch (result.Outcome)
                {
                    case ApplyOutcome.Applied:
                        foreach (var count in group) count.Result.TrySetResult(true);
                        return;
                    case ApplyOutcome.AlreadyCounted:
                        // Redeliveries: answer them, and count the rest without them (the remembered rows are still current).
                        foreach (var count in group.Where(c => result.Counted.Contains(c.ResponseKey))) count.Result.TrySetResult(false);
                        group.RemoveAll(c => result.Counted.Contains(c.ResponseKey));
                        attempt--;
                        break;
                    default:
                        // Lost a race for a counter row: back off a little, at random, so the racers spread out.
                        await Task.Delay(Random.Shared.Next(0, Math.Min(50, 2 * attempt)), cancellationToken);
                        break;
                }
            }
            if (group.Count == 0) return;
            logger.LogWarning("Gave up counting in shard {Shard} of survey {SurveyId} after {Attempts} conflicts", shard, surveyId, MaxAttempts);
            throw new InvalidOperationException("The counters are too contended; the message will be retried.");
        }
        catch (Exception ex)
        {
            // Failed, or its outcome is unknown (a timeout after sending): each of the group's messages fails and is
            // delivered again, and the stored responses tell the retry whether the transaction was in fact stored.
            foreach (var count in group) count.Result.TrySetException(ex);
        }
    }

    private async Task<ApplyResult> TryApplyAsync(string surveyId, int shard, List<PendingCount> group, bool fresh, CancellationToken cancellationToken)
    {
        // Every counter each response adds to, by scope: the group's increments together.
        var increments = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (scope, counters) in group.SelectMany(c => c.Increments))
        {
            if (!increments.TryGetValue(scope, out var all)) increments[scope] = all = [];
            all.AddRange(counters);
        }
        var current = fresh
            ? await Task.WhenAll(increments.Keys.Select(scope => store.ReadAsync(surveyId, shard, scope, cancellationToken)))
            : await RememberedRowsAsync(surveyId, shard, increments.Keys, cancellationToken);
        var rows = increments.Keys.Zip(current, (scope, row) =>
        {
            // A copy: the remembered row must stay as stored until the transaction succeeds.
            var counts = new Dictionary<string, long>(row?.Counts ?? new Dictionary<string, long>(), StringComparer.Ordinal);
            Tally.Add(counts, increments[scope]);
            return new CounterRow(scope, counts, row?.ETag);
        }).ToList();

        var result = await store.TryApplyAsync(surveyId, shard, [.. group.Select(c => c.Response)], rows, cancellationToken);
        if (result.Outcome == ApplyOutcome.Applied)
        {
            foreach (var row in result.Stored)
            {
                if (row.ETag is null) Forget(surveyId, shard, row.Scope);
                else _lastWritten[(surveyId, shard, row.Scope)] = row;
            }
        }
        else if (result.Outcome == ApplyOutcome.Conflict)
        {
            foreach (var scope in increments.Keys) Forget(surveyId, shard, scope);
        }
        return result;
    }

    /// <summary>
    /// The rows as this instance last wrote or read them. The first time it counts in a shard (or after a conflict there)
    /// it reads all the shard's counter rows in one query, rather than one read per row: a new instance (Flex scales out
    /// and in) would otherwise pay a read for every scope of every shard. A row the shard did not have then is inserted
    /// (null); one made since by another instance fails the insert, and the retry reads it.
    /// </summary>
    private async Task<CounterRow?[]> RememberedRowsAsync(string surveyId, int shard, IEnumerable<string> scopes, CancellationToken cancellationToken)
    {
        if (!_loadedShards.ContainsKey((surveyId, shard)) && !scopes.All(scope => _lastWritten.ContainsKey((surveyId, shard, scope))))
        {
            foreach (var row in await store.ReadShardAsync(surveyId, shard, cancellationToken)) _lastWritten.TryAdd((surveyId, shard, row.Scope), row);
            _loadedShards.TryAdd((surveyId, shard), true);
        }
        return [.. scopes.Select(scope => _lastWritten.TryGetValue((surveyId, shard, scope), out var row) ? row : null)];
    }

    /// <summary>Forgets a row: the next count in its shard loads the shard again.</summary>
    private void Forget(string surveyId, int shard, string scope)
    {
        _loadedShards.TryRemove((surveyId, shard), out _);
        _lastWritten.TryRemove((surveyId, shard, scope), out _);
    }

    /// <summary>One response waiting to be counted, and where its answer goes.</summary>
    private sealed record PendingCount(AnonymousResponse Response, Dictionary<string, List<string>> Increments)
    {
        public string ResponseKey => Response.ResponseKey;

        public TaskCompletionSource<bool> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The counts waiting for one shard in this instance, and the gate whose holder commits them.</summary>
    private sealed class ShardTurns
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public ConcurrentQueue<PendingCount> Waiting { get; } = new();
    }
}
