using SurveyBackend.Storage;
using SurveyBackend.Surveys;

namespace SurveyBackend.Aggregation;

/// <summary>
/// Reads a survey's results from the aggregates: a fixed number of point reads (shards × scopes, scopes from the
/// definition), so the cost does not grow with the number of respondents.
/// </summary>
public sealed class ResultsService(SurveyCatalog catalog, AggregateStore store, ResponseCounter counter, TimeProvider clock)
{
    /// <summary>The results with suppression applied; null for an unknown survey.</summary>
    public async Task<SurveyResults?> GetAsync(string surveyId, CancellationToken cancellationToken)
    {
        var survey = await catalog.FindAsync(surveyId, cancellationToken);
        if (survey is null) return null;
        var counts = await ReadCountsAsync(survey.Definition, cancellationToken);
        return ResultsBuilder.Build(survey.Definition, counts, clock.GetUtcNow());
    }

    /// <summary>Every scope the definition can have: everyone, and each option of each segment question.</summary>
    public static IReadOnlyList<string> Scopes(SurveyDefinition definition) =>
    [
        Tally.All,
        .. definition.Segments.Select(definition.FindQuestion).OfType<Question>()
            .SelectMany(q => q.ChoosableOptionIds.Select(o => Tally.SegmentScope(q.Id, o))),
    ];

    /// <summary>Counters summed over the shards, by scope.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>>> ReadCountsAsync(SurveyDefinition definition, CancellationToken cancellationToken) =>
        Sum(await ReadRowsAsync(definition, cancellationToken));

    /// <summary>
    /// Counts all true at one instant, for a release: figures that do not add up can give a hidden one away. Read until
    /// two passes find every row at the same ETag; null if counting never paused for <paramref name="maxPasses"/>
    /// passes (docs/releases.md, "a consistent snapshot").
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>>?> ReadConsistentCountsAsync(
        SurveyDefinition definition, CancellationToken cancellationToken, int maxPasses = 6)
    {
        var previous = await ReadRowsAsync(definition, cancellationToken);
        for (var pass = 1; pass < maxPasses; pass++)
        {
            var current = await ReadRowsAsync(definition, cancellationToken);
            if (SameETags(previous, current)) return Sum(current);
            previous = current;
        }
        return null;
    }

    private static bool SameETags(CounterRow?[] a, CounterRow?[] b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i]?.ETag != b[i]?.ETag) return false;
        }
        return true;
    }

    private async Task<CounterRow?[]> ReadRowsAsync(SurveyDefinition definition, CancellationToken cancellationToken)
    {
        var reads = (from shard in Enumerable.Range(0, counter.Shards)
                     from scope in Scopes(definition)
                     select (shard, scope)).ToList();
        var rows = new CounterRow?[reads.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, reads.Count), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
            async (i, ct) => rows[i] = await store.ReadAsync(definition.Id, reads[i].shard, reads[i].scope, ct));
        return rows;
    }

    private static Dictionary<string, IReadOnlyDictionary<string, long>> Sum(CounterRow?[] rows)
    {
        var sums = new Dictionary<string, IReadOnlyDictionary<string, long>>(StringComparer.Ordinal);
        foreach (var row in rows.OfType<CounterRow>())
        {
            var into = sums.TryGetValue(row.Scope, out var existing) ? (Dictionary<string, long>)existing : new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (name, value) in row.Counts) into[name] = into.GetValueOrDefault(name) + value;
            sums[row.Scope] = into;
        }
        return sums;
    }
}
