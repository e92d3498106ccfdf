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
    /// How many more respondents the survey needs before its next release can be made safe: 0 when it can be made now.
    /// <list type="bullet">
    /// <item>At least <c>minGroupSize</c> respondents must have arrived since the last release (for the first, in all):
    /// fewer, and the difference between the two releases would be a group smaller than the threshold, whose every
    /// answer the new release would have to hide. The number is then exact.</item>
    /// <item>A release that would show no option's count at all is refused too: it would be all blanks. The number is
    /// then a lower bound (the most any option has gained falls short of the threshold by that much).</item>
    /// </list>
    /// <paramref name="candidate"/> is the release as it would be made from these counts, when the caller has built it
    /// already (building protects every earlier release, the costly part): else it is built here if needed.
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
