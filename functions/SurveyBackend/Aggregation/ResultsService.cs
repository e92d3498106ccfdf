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
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>>> ReadCountsAsync(SurveyDefinition definition, CancellationToken cancellationToken)
    {
        var reads = (from shard in Enumerable.Range(0, counter.Shards)
                     from scope in Scopes(definition)
                     select (shard, scope)).ToList();
        var rows = new CounterRow?[reads.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, reads.Count), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
            async (i, ct) => rows[i] = await store.ReadAsync(definition.Id, reads[i].shard, reads[i].scope, ct));

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
