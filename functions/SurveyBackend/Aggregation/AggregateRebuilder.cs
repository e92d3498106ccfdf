using Microsoft.Extensions.Logging;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;

namespace SurveyBackend.Aggregation;

/// <summary>Outcome of a rebuild: how many responses the aggregates now count.</summary>
public sealed record RebuildResult(string SurveyId, int Responses);

/// <summary>
/// Recomputes a survey's counters from its stored responses, on the ETags read before the scan, so a worker counting
/// meanwhile makes the rebuild start again rather than be lost (docs/anonymity.md, "Rebuild").
/// </summary>
public sealed class AggregateRebuilder(
    SurveyCatalog catalog, ResponseStore responses, AggregateStore store, ResponseCounter counter, ILogger<AggregateRebuilder> logger)
{
    private const int MaxAttempts = 5;

    /// <summary>Null for an unknown survey.</summary>
    public async Task<RebuildResult?> RebuildAsync(string surveyId, CancellationToken cancellationToken)
    {
        var survey = await catalog.FindAsync(surveyId, cancellationToken);
        if (survey is null) return null;
        var definition = survey.Definition;
        var scopes = ResultsService.Scopes(definition);

        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            // ETags first: any count that lands after this point changes one and fails the conditional write below.
            var before = new Dictionary<(int Shard, string Scope), CounterRow?>();
            for (var shard = 0; shard < counter.Shards; shard++)
            {
                foreach (var scope in scopes) before[(shard, scope)] = await store.ReadAsync(surveyId, shard, scope, cancellationToken);
            }

            var counts = new Dictionary<(int Shard, string Scope), Dictionary<string, long>>();
            var total = 0;
            await foreach (var response in responses.ListAsync(surveyId, cancellationToken))
            {
                var shard = counter.ShardOf(response.ResponseKey);
                foreach (var (scope, increments) in ResponseCounter.Increments(definition, response))
                {
                    if (!counts.TryGetValue((shard, scope), out var into)) counts[(shard, scope)] = into = new(StringComparer.Ordinal);
                    Tally.Add(into, increments);
                }
                total++;
            }

            var clean = true;
            for (var shard = 0; shard < counter.Shards && clean; shard++)
            {
                var rows = counts.Keys.Where(k => k.Shard == shard).Select(k => k.Scope)
                    .Union(scopes.Where(s => before[(shard, s)] is not null))
                    .Select(scope => new CounterRow(scope,
                        counts.GetValueOrDefault((shard, scope)) ?? new Dictionary<string, long>(),
                        before.GetValueOrDefault((shard, scope))?.ETag))
                    .ToList();
                clean = await store.TryReplaceCountersAsync(surveyId, shard, rows, cancellationToken);
            }
            if (clean)
            {
                logger.LogInformation("Rebuilt the aggregates of survey {SurveyId} from {Count} responses", surveyId, total);
                return new RebuildResult(surveyId, total);
            }
            logger.LogInformation("Responses were counted during a rebuild of survey {SurveyId}; starting again", surveyId);
        }
        throw new InvalidOperationException("The aggregates kept changing during the rebuild; try again when the queue is quiet.");
    }
}
