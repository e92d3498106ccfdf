using SurveyBackend.Aggregation;
using SurveyBackend.Journey;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using Xunit;

namespace SurveyBackend.Testing;

/// <summary>
/// Plausible counts for a definition, as counting would leave them: sample respondents tallied by the counter's own
/// <see cref="Tally"/>, with the journey stage they score. The first question's options fall by halves (respondent r takes the option numbered by the
/// trailing one bits of r: half the first, a quarter the second, …); the others cycle through their options.
/// </summary>
public static class SampleCounts
{
    public static Dictionary<string, Dictionary<string, long>> For(SurveyDefinition definition, int respondents, int? seed = null) =>
        Count(definition, Respondents(definition, respondents, seed));

    /// <summary>Counts the answers as counting does: the stage each scores (<see cref="StageQuestion.Counted"/>), then <see cref="Tally"/>.</summary>
    public static Dictionary<string, Dictionary<string, long>> Count(SurveyDefinition definition, IEnumerable<IReadOnlyDictionary<string, IReadOnlyList<string>>> respondents)
    {
        var counts = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        foreach (var answers in respondents)
        {
            foreach (var (scope, increments) in Tally.For(StageQuestion.Counted(definition, answers), definition.Segments))
            {
                if (!counts.TryGetValue(scope, out var into)) counts[scope] = into = new(StringComparer.Ordinal);
                Tally.Add(into, increments);
            }
        }
        return counts;
    }

    /// <summary>One option per question (so few reach the journey's later stages: <see cref="JourneyRespondents"/> spreads them).</summary>
    private static IEnumerable<IReadOnlyDictionary<string, IReadOnlyList<string>>> Respondents(SurveyDefinition definition, int respondents, int? seed)
    {
        // With a seed: answers drawn at random, earlier options likelier (weights 1, 1/2, 1/3, …), as real answers skew.
        var random = seed is { } s ? new Random(s) : null;
        for (var r = 0; r < respondents; r++)
        {
            var answers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            for (var q = 0; q < definition.Questions.Count; q++)
            {
                var options = definition.Questions[q].ChoosableOptionIds;
                var index = random is not null ? Skewed(random, options.Count) : q == 0 ? Math.Min(System.Numerics.BitOperations.TrailingZeroCount(~r), options.Count - 1) : (r * (q + 2) + q) % options.Count;
                answers[definition.Questions[q].Id] = [options[index]];
            }
            yield return answers;
        }
    }

    internal static int Skewed(Random random, int count)
    {
        var total = Enumerable.Range(1, count).Sum(k => 1.0 / k);
        var draw = random.NextDouble() * total;
        for (var k = 1; k <= count; k++)
        {
            draw -= 1.0 / k;
            if (draw <= 0) return k - 1;
        }
        return count - 1;
    }

    /// <summary>Writes the counts to shard 0 through the real store, replacing what is there (on its ETag).</summary>
    public static Task SeedAsync(AggregateStore store, SurveyDefinition definition, int respondents, int? seed = null) =>
        SeedAsync(store, definition, For(definition, respondents, seed));

    /// <inheritdoc cref="SeedAsync(AggregateStore, SurveyDefinition, int, int?)"/>
    public static async Task SeedAsync(AggregateStore store, SurveyDefinition definition, Dictionary<string, Dictionary<string, long>> counts)
    {
        var scopes = ResultsService.Scopes(definition);
        var rows = new List<CounterRow>();
        foreach (var scope in scopes)
        {
            var existing = await store.ReadAsync(definition.Id, 0, scope, CancellationToken.None);
            rows.Add(new CounterRow(scope, counts.GetValueOrDefault(scope) ?? [], existing?.ETag));
        }
        var applied = await store.TryApplyAsync(definition.Id, 0, [], rows, CancellationToken.None);
        Assert.Equal(ApplyOutcome.Applied, applied.Outcome);
    }
}
