using System.Text.Json;
using Microsoft.Extensions.Logging;
using SurveyBackend.Aggregation;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;

namespace SurveyBackend.Releases;

public enum ReleaseOutcome
{
    Made,
    UnknownSurvey,
    /// <summary>No release can be made safe yet: <see cref="ReleaseResult.RespondentsNeeded"/> more are needed.</summary>
    NotYetSafe,
    /// <summary>Counting never paused long enough to read the counts at one instant, or releases kept racing: try again.</summary>
    Busy,
}

public sealed record ReleaseResult(ReleaseOutcome Outcome, Release? Release = null, int RespondentsNeeded = 0);

/// <summary>
/// Makes, lists and finds releases. A release is built from counts read at one instant
/// (<see cref="ResultsService.ReadConsistentCountsAsync"/>) with every earlier release of the survey, so that the
/// cross-release rule (<see cref="ReleaseRules"/>, <see cref="ResultsBuilder"/>) protects what they showed too.
/// </summary>
public sealed class ReleaseService(SurveyCatalog catalog, ResultsService results, ReleaseStore store, TimeProvider clock, ILogger<ReleaseService> logger)
{
    // Each lost race means another release was made meanwhile; a handful is far more than admins clicking at once.
    private const int MaxAttempts = 5;

    // Releases made on one instance take turns: each reads every counter row at least twice, and several at once only
    // slow each other down (on Azurite, into storage timeouts). Across instances the insert on the number decides.
    private readonly SemaphoreSlim _turn = new(1, 1);

    public async Task<ReleaseResult> MakeAsync(string surveyId, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            return await MakeInTurnAsync(surveyId, cancellationToken);
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task<ReleaseResult> MakeInTurnAsync(string surveyId, CancellationToken cancellationToken)
    {
        var survey = await catalog.FindAsync(surveyId, cancellationToken);
        if (survey is null) return new ReleaseResult(ReleaseOutcome.UnknownSurvey);
        var definition = survey.Definition;

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var stored = await store.ListAsync(surveyId, withDocuments: true, cancellationToken);
            var earlier = stored.Select(ToPrior).ToList();
            var counts = await results.ReadConsistentCountsAsync(definition, cancellationToken);
            if (counts is null) return new ReleaseResult(ReleaseOutcome.Busy);

            // Built once: the same results decide whether the release is safe to make and are what it stores.
            var createdAt = clock.GetUtcNow();
            var built = ResultsBuilder.Build(definition, counts, createdAt, earlier);
            var needed = ReleaseRules.RespondentsNeeded(definition, counts, earlier, built);
            if (needed > 0) return new ReleaseResult(ReleaseOutcome.NotYetSafe, RespondentsNeeded: needed);

            var number = NextNumber(stored);
            var release = new Release(surveyId, number, built.Respondents, createdAt, HiddenFigures.Count(built), built);
            // The number is the row key: of two makers that race for it, one insert wins and the other starts again,
            // now with the winner among the earlier releases it must protect.
            if (await store.TryAddAsync(new StoredRelease(surveyId, number, release.Respondents, createdAt, release.HiddenFigures,
                    release.ToPublicJson(), JsonSerializer.Serialize(counts)), cancellationToken))
            {
                logger.LogInformation("Release {Release} of survey {SurveyId} made: {Respondents} respondents, {Hidden} figures hidden",
                    number, surveyId, release.Respondents, release.HiddenFigures);
                return new ReleaseResult(ReleaseOutcome.Made, release);
            }
        }
        return new ReleaseResult(ReleaseOutcome.Busy);
    }

    /// <summary>The survey's releases oldest first; null for an unknown survey.</summary>
    public async Task<IReadOnlyList<ReleaseSummary>?> ListAsync(string surveyId, CancellationToken cancellationToken)
    {
        if (await catalog.FindAsync(surveyId, cancellationToken) is null) return null;
        var stored = await store.ListAsync(surveyId, withDocuments: false, cancellationToken);
        return [.. stored.Select(r => new ReleaseSummary(r.Number, r.Respondents, r.CreatedAt, r.HiddenFigures))];
    }

    public async Task<Release?> FindAsync(string surveyId, int number, CancellationToken cancellationToken) =>
        await store.FindAsync(surveyId, number, cancellationToken) is { } stored ? FromStored(stored) : null;

    /// <summary>
    /// The survey's latest public release: the highest-numbered release that a report shows whose publishAt has
    /// passed. Two point reads (the survey's small index row, then that release), whatever its history.
    /// </summary>
    public async Task<Release?> FindLatestPublicAsync(string surveyId, CancellationToken cancellationToken)
    {
        var latest = LatestPublic(await store.ListPublicAsync(surveyId, cancellationToken), clock.GetUtcNow());
        return latest is { } number ? await FindAsync(surveyId, number, cancellationToken) : null;
    }

    /// <summary>The benchmark document's parts: the latest public release, and the previous wave's when one is named.</summary>
    public async Task<Benchmark?> FindBenchmarkAsync(string surveyId, CancellationToken cancellationToken)
    {
        var release = await FindLatestPublicAsync(surveyId, cancellationToken);
        if (release is null) return null;
        var survey = await catalog.FindAsync(surveyId, cancellationToken);
        if (survey?.Definition.PreviousWave is null) return new Benchmark(release, null, null);
        return new Benchmark(release, ReportingView.Of(survey.Definition).Definition, await FindPreviousWaveAsync(survey.Definition, cancellationToken));
    }

    /// <summary>
    /// The previous wave of <paramref name="definition"/> as the public may see it: its latest public release, while it
    /// is not a draft. Null when the survey names no previous wave, or that wave has no public release (or went back
    /// to draft): then no change can be shown. Its own release only, so nothing of it is shown that it has not shown.
    /// </summary>
    public async Task<PreviousWave?> FindPreviousWaveAsync(SurveyDefinition definition, CancellationToken cancellationToken)
    {
        if (definition.PreviousWave is not { } previousId) return null;
        var previous = await catalog.FindPublicAsync(previousId, cancellationToken);
        if (previous is null) return null;
        var release = await FindLatestPublicAsync(previousId, cancellationToken);
        return release is null
            ? null
            : new PreviousWave(previousId, previous.Definition.Title, release.Number, release.CreatedAt, release.Results,
                ReportingView.Of(previous.Definition).Definition);
    }

    /// <summary>The highest-numbered release that some report shows publicly at <paramref name="now"/>; null if none.</summary>
    public static int? LatestPublic(IEnumerable<PublicRelease> index, DateTimeOffset now) =>
        index.Where(p => p.PublishAt <= now).Select(p => (int?)p.Release).Max();

    /// <summary>The number the next release takes: one after the highest made, 1 for the first.</summary>
    public static int NextNumber(IReadOnlyList<StoredRelease> made) => made.Count == 0 ? 1 : made.Max(r => r.Number) + 1;

    /// <summary>Notes that a report shows this release from <paramref name="publishAt"/>.</summary>
    public Task MarkPublicAsync(string surveyId, int number, DateTimeOffset publishAt, CancellationToken cancellationToken) =>
        store.MarkPublicAsync(surveyId, number, publishAt, cancellationToken);

    private static Release FromStored(StoredRelease stored) =>
        new(stored.SurveyId, stored.Number, stored.Respondents, stored.CreatedAt, stored.HiddenFigures,
            Release.ResultsFromPublicJson(stored.ResultsJson ?? ""));

    private static PriorRelease ToPrior(StoredRelease stored)
    {
        var counts = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, long>>>(stored.CountsJson ?? "{}") ?? [];
        return new PriorRelease(
            counts.ToDictionary(c => c.Key, c => (IReadOnlyDictionary<string, long>)c.Value, StringComparer.Ordinal),
            Release.ResultsFromPublicJson(stored.ResultsJson ?? ""));
    }
}
