using SurveyBackend.Surveys;

namespace SurveyBackend.Aggregation;

/// <summary>
/// A release as the next one sees it: the counts it froze (operator-only, for the differences) and what it showed.
/// </summary>
public sealed record PriorRelease(IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Counts, SurveyResults Published);

/// <summary>When a survey may have another release.</summary>
public static class ReleaseRules
{
    /// <summary>
    /// More respondents needed before the next release can be made safe (0: now), since a release differing from the
    /// last by fewer than <c>minGroupSize</c> would expose that small group (docs/releases.md, "The refusal rule").
    /// <paramref name="candidate"/>: the release already built by the caller, so the costly build is not repeated.
    /// </summary>
    public static int RespondentsNeeded(
        SurveyDefinition definition,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> counts,
        IReadOnlyList<PriorRelease> earlier,
        SurveyResults? candidate = null)
    {
        var k = definition.MinGroupSize;
        var last = earlier.Count == 0 ? null : earlier[^1];
        long Since(string counter) => Overall(counts, counter) - (last is null ? 0 : Overall(last.Counts, counter));

        var arrived = Since(Tally.Respondents);
        if (arrived < k) return (int)(k - arrived);

        var release = candidate ?? ResultsBuilder.Build(definition, counts, DateTimeOffset.UnixEpoch, earlier);
        if (release.Questions.Any(q => q.Options.Any(o => o.Count is not null))) return 0;
        var mostGained = definition.Questions
            .SelectMany(q => q.ChoosableOptionIds.Select(o => Since(Tally.Chose(q.Id, o))))
            .DefaultIfEmpty(0).Max();
        return (int)Math.Max(1, k - mostGained);
    }

    private static long Overall(IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> counts, string counter) =>
        counts.TryGetValue(Tally.All, out var all) && all.TryGetValue(counter, out var value) ? value : 0;
}
