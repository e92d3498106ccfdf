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
    /// <param name="withStage">Also tally a journey stage for each respondent as <c>journey.stage</c> (see <see cref="JourneyStageStandIn"/>).</param>
    public static Dictionary<string, Dictionary<string, long>> For(SurveyDefinition definition, int respondents, int? seed = null, bool withStage = false)
    {
        // With a seed: answers drawn at random, earlier options likelier (weights 1, 1/2, 1/3, …), as real answers skew.
        var random = seed is { } s ? new Random(s) : null;
        var stages = seed is { } t ? new Random(t + 1) : null;
        var counts = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        for (var r = 0; r < respondents; r++)
        {
            var answers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            for (var q = 0; q < definition.Questions.Count; q++)
            {
                var options = definition.Questions[q].ChoosableOptionIds;
                var index = random is not null ? Skewed(random, options.Count) : q == 0 ? Math.Min(System.Numerics.BitOperations.TrailingZeroCount(~r), options.Count - 1) : (r * (q + 2) + q) % options.Count;
                answers[definition.Questions[q].Id] = [options[index]];
            }
            // Scored as counting scores it; withStage instead draws the stage (one option per question, as here, cannot
            // reach the later stages, and a stage nobody is at would hide the whole table), with its own draws.
            var counted = new Dictionary<string, IReadOnlyList<string>>(StageQuestion.Counted(definition, answers), StringComparer.Ordinal);
            if (withStage && definition.Journey is { } journey)
                counted[StageQuestion.Id] = [journey.Stages[stages is not null ? Skewed(stages, journey.Stages.Count) : r % journey.Stages.Count].Id];
            foreach (var (scope, increments) in Tally.For(counted, definition.Segments))
            {
                if (!counts.TryGetValue(scope, out var into)) counts[scope] = into = new(StringComparer.Ordinal);
                Tally.Add(into, increments);
            }
        }
        return counts;
    }

    private static int Skewed(Random random, int count)
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
    public static async Task SeedAsync(AggregateStore store, SurveyDefinition definition, int respondents, int? seed = null)
    {
        var counts = For(definition, respondents, seed);
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
