using SurveyBackend.Aggregation;
using SurveyBackend.Journey;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Integration.Aggregation;

/// <summary>What the aggregates must hold for a set of submissions, each counted once.</summary>
internal static class Expected
{
    public static Dictionary<string, Dictionary<string, long>> Counts(SurveyDefinition survey, IEnumerable<Submission> submissions)
    {
        var counts = new Dictionary<string, Dictionary<string, long>>();
        foreach (var submission in submissions)
        {
            foreach (var (scope, increments) in Tally.For(WithStage(survey, submission.AnswerLists), survey.Segments))
            {
                if (!counts.TryGetValue(scope, out var into)) counts[scope] = into = [];
                Tally.Add(into, increments);
            }
        }
        return counts;
    }

    /// <summary>The answers and, in a survey with a journey, the stage they score: counted as the answer to "journey.stage".</summary>
    private static IReadOnlyDictionary<string, IReadOnlyList<string>> WithStage(SurveyDefinition survey, IReadOnlyDictionary<string, IReadOnlyList<string>> answers) =>
        JourneyScore.Of(survey, answers) is { } place
            ? new Dictionary<string, IReadOnlyList<string>>(answers) { ["journey.stage"] = [place.Stage.Id] }
            : answers;

    /// <summary>
    /// The counts match, day counters aside (submissions made here carry no day): where the pipeline counted days,
    /// they must add up to the respondents, each response on exactly one day.
    /// </summary>
    public static void Equal(Dictionary<string, Dictionary<string, long>> expected, IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> actual)
    {
        if (actual.TryGetValue(Tally.All, out var all) && all.Keys.Any(k => k.StartsWith(Tally.DayPrefix, StringComparison.Ordinal)))
            Assert.Equal(all.GetValueOrDefault(Tally.Respondents), all.Where(c => c.Key.StartsWith(Tally.DayPrefix, StringComparison.Ordinal)).Sum(c => c.Value));
        static string Flat(IEnumerable<KeyValuePair<string, IEnumerable<KeyValuePair<string, long>>>> scopes) =>
            string.Join("\n", scopes.SelectMany(s => s.Value.Where(c => c.Value != 0 && !c.Key.StartsWith(Tally.DayPrefix, StringComparison.Ordinal))
                .Select(c => $"{s.Key} {c.Key}={c.Value}")).Order(StringComparer.Ordinal));
        Assert.Equal(
            Flat(expected.Select(e => KeyValuePair.Create(e.Key, (IEnumerable<KeyValuePair<string, long>>)e.Value))),
            Flat(actual.Select(a => KeyValuePair.Create(a.Key, (IEnumerable<KeyValuePair<string, long>>)a.Value))));
    }
}
