using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurveyBackend.Storage;

namespace SurveyBackend.Aggregation;

/// <summary>
/// Counts a response exactly once. The response's shard is fixed by its key; in that shard's partition one entity
/// group transaction inserts the marker <c>m|{responseKey}</c> and replaces the touched counter rows on their ETags.
/// A replay fails on the marker (already counted); a concurrent worker fails the ETag (read again and retry).
/// Either the marker and all its increments are stored, or none of them.
/// <para>The rows this instance last wrote are kept in memory with their ETags, so a first attempt usually needs no
/// read; a stale copy (another instance wrote since) only costs a conflict and a fresh read, never a wrong count.</para>
/// </summary>
public sealed class ResponseCounter(AggregateStore store, IOptions<AggregationOptions> options, ILogger<ResponseCounter> logger)
{
    private const int MaxAttempts = 200;
    private readonly ConcurrentDictionary<(string SurveyId, int Shard, string Scope), CounterRow> _lastWritten = new();

    public int Shards => options.Value.Shards;

    public int ShardOf(string responseKey) => ShardOf(responseKey, Shards);

    /// <summary>The response key is a hex HMAC, so its first bytes are uniform.</summary>
    public static int ShardOf(string responseKey, int shards) =>
        (int)(uint.Parse(responseKey.AsSpan(0, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture) % (uint)shards);

    /// <summary>True when this call counted the response; false when it had been counted before.</summary>
    public async Task<bool> CountAsync(
        string surveyId, string responseKey, IReadOnlyDictionary<string, IReadOnlyList<string>> answers,
        IReadOnlyList<string> segments, CancellationToken cancellationToken)
    {
        var shard = ShardOf(responseKey);
        var increments = Tally.For(answers, segments);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var fresh = attempt > 1;
            var current = await Task.WhenAll(increments.Keys.Select(scope =>
                !fresh && _lastWritten.TryGetValue((surveyId, shard, scope), out var known)
                    ? Task.FromResult<CounterRow?>(known)
                    : store.ReadAsync(surveyId, shard, scope, cancellationToken)));
            var rows = increments.Keys.Zip(current, (scope, row) =>
            {
                // A copy: the remembered row must stay as stored until the transaction succeeds.
                var counts = new Dictionary<string, long>(row?.Counts ?? new Dictionary<string, long>(), StringComparer.Ordinal);
                Tally.Add(counts, increments[scope]);
                return new CounterRow(scope, counts, row?.ETag);
            }).ToList();

            var result = await store.TryApplyAsync(surveyId, shard, responseKey, rows, cancellationToken);
            switch (result.Outcome)
            {
                case ApplyOutcome.Applied:
                    foreach (var row in result.Stored)
                    {
                        if (row.ETag is null) _lastWritten.TryRemove((surveyId, shard, row.Scope), out _);
                        else _lastWritten[(surveyId, shard, row.Scope)] = row;
                    }
                    return true;
                case ApplyOutcome.AlreadyCounted:
                    return false;
                default:
                    foreach (var scope in increments.Keys) _lastWritten.TryRemove((surveyId, shard, scope), out _);
                    // Lost a race for a counter row: back off a little, at random, so the racers spread out.
                    await Task.Delay(Random.Shared.Next(0, Math.Min(50, 2 * attempt)), cancellationToken);
                    break;
            }
        }
        logger.LogWarning("Gave up counting a response in shard {Shard} of survey {SurveyId} after {Attempts} conflicts", shard, surveyId, MaxAttempts);
        throw new InvalidOperationException("The counters are too contended; the message will be retried.");
    }
}
