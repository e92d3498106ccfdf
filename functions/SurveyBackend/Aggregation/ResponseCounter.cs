using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurveyBackend.Journey;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;

namespace SurveyBackend.Aggregation;

/// <summary>
/// Counts a response exactly once: one transaction in its shard stores it (a replay fails on it) with its increments
/// (<see cref="AggregateStore.TryCountAsync"/>). Workers of this instance in one shard share a transaction (a group commit).
/// </summary>
public sealed class ResponseCounter
{
    private const int MaxAttempts = 200;
    private readonly AggregateStore _store;
    private readonly IOptions<AggregationOptions> _options;
    private readonly ILogger<ResponseCounter> _logger;
    private readonly Batcher<(string SurveyId, int Shard), PendingCount, bool> _shards;

    public ResponseCounter(AggregateStore store, IOptions<AggregationOptions> options, ILogger<ResponseCounter> logger)
    {
        _store = store;
        _options = options;
        _logger = logger;
        _shards = new(Fits, CommitAsync);
    }

    public int Shards => _options.Value.Shards;

    public int ShardOf(string responseKey) => ShardOf(responseKey, Shards);

    /// <summary>The response key is a hex HMAC, so its first bytes are uniform.</summary>
    public static int ShardOf(string responseKey, int shards) =>
        (int)(uint.Parse(responseKey.AsSpan(0, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture) % (uint)shards);

    /// <summary>
    /// True when this call stored and counted the response; false when it had been counted before. Its day (yyyy-MM-dd)
    /// is counted in the same transaction (see <see cref="Tally.For"/>), and so is its journey stage (<see cref="StageQuestion"/>).
    /// </summary>
    public async Task<bool> CountAsync(AnonymousResponse response, SurveyDefinition definition, CancellationToken cancellationToken)
    {
        var shard = (response.SurveyId, ShardOf(response.ResponseKey));
        var count = new PendingCount(response, Increments(definition, response));
        // 1 turns group commit off: every worker commits alone and races the others (the benchmark's naive baseline).
        return _options.Value.MaxResponsesPerTransaction == 1
            ? await _shards.CommitAloneAsync(shard, count, cancellationToken)
            : await _shards.CommitAsync(shard, count, cancellationToken);
    }

    private bool Fits(IReadOnlyList<PendingCount> group, PendingCount next) =>
        group.Count < _options.Value.MaxResponsesPerTransaction
        // The same response twice (a message delivered to two workers at once) goes in the next group, as a replay.
        && group.All(c => c.ResponseKey != next.ResponseKey)
        && AggregateStore.Fits(group.Count + 1, group.SelectMany(c => c.Increments.Keys).Union(next.Increments.Keys).Count());

    /// <summary>
    /// Counts the group in one transaction and answers each count: true if counted now, false if counted before. A
    /// failure, or an outcome unknown (a timeout after sending), fails every count still unanswered: their messages come
    /// again, and the stored responses tell the retry whether the transaction was in fact stored.
    /// </summary>
    private async Task CommitAsync((string SurveyId, int Shard) shard, IReadOnlyList<Batched<PendingCount, bool>> group, CancellationToken cancellationToken)
    {
        var left = group.ToList();
        for (var attempt = 1; attempt <= MaxAttempts && left.Count > 0; attempt++)
        {
            var result = await _store.TryCountAsync(
                shard.SurveyId, shard.Shard, [.. left.Select(c => c.Item.Response)], Together(left), fresh: attempt > 1, cancellationToken);
            switch (result.Outcome)
            {
                case ApplyOutcome.Applied:
                    foreach (var count in left) count.Succeed(true);
                    return;
                case ApplyOutcome.AlreadyCounted:
                    // Redeliveries: answer them, and count the rest without them (the remembered rows are still current).
                    foreach (var count in left.Where(c => result.Counted.Contains(c.Item.ResponseKey))) count.Succeed(false);
                    left.RemoveAll(c => result.Counted.Contains(c.Item.ResponseKey));
                    attempt--;
                    break;
                default:
                    // Lost a race for a counter row: back off a little, at random, so the racers spread out.
                    await Task.Delay(Random.Shared.Next(0, Math.Min(50, 2 * attempt)), cancellationToken);
                    break;
            }
        }
        if (left.Count == 0) return;
        _logger.LogWarning("Gave up counting in shard {Shard} of survey {SurveyId} after {Attempts} conflicts", shard.Shard, shard.SurveyId, MaxAttempts);
        throw new InvalidOperationException("The counters are too contended; the message will be retried.");
    }

    /// <summary>What one response adds, by scope: its answers and the stage they place it on. A rebuild adds the same.</summary>
    public static Dictionary<string, List<string>> Increments(SurveyDefinition definition, AnonymousResponse response) =>
        Tally.For(StageQuestion.Counted(definition, response.Answers.Chosen), definition.Segments, response.Day);

    /// <summary>The group's increments together, by scope: how many of its responses add to each counter.</summary>
    private static Dictionary<string, IReadOnlyDictionary<string, long>> Together(IEnumerable<Batched<PendingCount, bool>> group)
    {
        var increments = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        foreach (var (scope, counters) in group.SelectMany(c => c.Item.Increments))
        {
            if (!increments.TryGetValue(scope, out var into)) increments[scope] = into = new(StringComparer.Ordinal);
            Tally.Add(into, counters);
        }
        return increments.ToDictionary(i => i.Key, i => (IReadOnlyDictionary<string, long>)i.Value, StringComparer.Ordinal);
    }

    /// <summary>One response waiting to be counted, with what it adds to each scope.</summary>
    private sealed record PendingCount(AnonymousResponse Response, Dictionary<string, List<string>> Increments)
    {
        public string ResponseKey => Response.ResponseKey;
    }
}
