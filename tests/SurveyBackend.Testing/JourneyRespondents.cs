using SurveyBackend.Journey;
using SurveyBackend.Surveys;

namespace SurveyBackend.Testing;

/// <summary>
/// Sample respondents spread over every journey stage, for <see cref="SampleCounts.Count"/>: each has a maturity drawn
/// in [0, 1) (lower likelier, as real councils skew), and on the scored questions answers as mature councils do: the
/// single choice whose points rank nearest it, and on a multiple choice each pointed option the likelier the more mature
/// (up to its limit, the highest kept; none chosen takes its exclusive option). The stage is never drawn: counting
/// scores it. Other questions as <see cref="SampleCounts"/>' seeded respondents answer them.
/// </summary>
public static class JourneyRespondents
{
    public static IEnumerable<IReadOnlyDictionary<string, IReadOnlyList<string>>> Answers(SurveyDefinition definition, int respondents, int seed)
    {
        var random = new Random(seed);
        for (var r = 0; r < respondents; r++)
        {
            var maturity = Math.Pow(random.NextDouble(), 1.4);
            var answers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var question in definition.Questions)
            {
                IReadOnlyList<string> chosen = !JourneyScore.IsScored(question) ? [question.ChoosableOptionIds[SampleCounts.Skewed(random, question.ChoosableOptionIds.Count)]]
                    : question.Type == QuestionType.Single ? [Single(question, maturity, random)]
                    : Multiple(question, maturity, random);
                if (chosen.Count > 0) answers[question.Id] = chosen;
            }
            yield return answers;
        }
    }

    private static string Single(Question question, double maturity, Random random)
    {
        var ranked = question.Options.OrderBy(o => o.Points ?? 0).ToList();
        var at = maturity * (ranked.Count - 1) + (random.NextDouble() - 0.5) * 1.5;
        return ranked[Math.Clamp((int)Math.Round(at), 0, ranked.Count - 1)].Id;
    }

    private static IReadOnlyList<string> Multiple(Question question, double maturity, Random random)
    {
        var open = question.Options.Where(o => !o.Exclusive).ToList();
        var chosen = open.Where(o => random.NextDouble() < (o.Points > 0 ? 0.1 + 0.85 * maturity : 0.35))
            .OrderByDescending(o => o.Points ?? 0).Take(question.MaxSelections ?? int.MaxValue).Select(o => o.Id).ToList();
        if (chosen.Count > 0) return chosen;
        if (question.Options.FirstOrDefault(o => o.Exclusive) is { } none) return [none.Id];
        return question.Required ? [open[SampleCounts.Skewed(random, open.Count)].Id] : [];
    }
}
