using SurveyBackend.Aggregation;
using SurveyBackend.Journey;
using SurveyBackend.Surveys;

namespace SurveyBackend.Auditing;

/// <summary>
/// Seeded, skewed answers to any definition, the way real answers fall: per question a few options take most
/// answers (weights 1, 1/2, 1/3, … over a shuffled order), optional questions are skipped now and then, multiple
/// choice picks a handful, exclusive options are rare and alone, <c>maxSelections</c> holds.
/// </summary>
public sealed class SyntheticResponses
{
    private readonly SurveyDefinition _definition;
    private readonly Random _random;
    private readonly Dictionary<string, (string Id, double Weight)[]> _weights = [];

    public SyntheticResponses(SurveyDefinition definition, int seed)
    {
        _definition = definition;
        _random = new Random(seed);
        foreach (var question in definition.Questions)
        {
            var order = question.ChoosableOptionIds.Where(o => !IsExclusive(question, o)).OrderBy(_ => _random.Next()).ToList();
            _weights[question.Id] = [.. order.Select((o, i) => (o, 1.0 / (i + 1)))];
        }
    }

    private static bool IsExclusive(Question question, string optionId) =>
        question.Options.Any(o => o.Id == optionId && o.Exclusive);

    /// <summary>One response: question → chosen option ids (none for a skipped question).</summary>
    public Dictionary<string, IReadOnlyList<string>> Next()
    {
        var answers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var question in _definition.Questions)
        {
            if (!question.Required && _random.NextDouble() < 0.12) continue;
            var weights = _weights[question.Id];
            if (question.Type == QuestionType.Single)
            {
                answers[question.Id] = [Pick(weights)];
                continue;
            }
            var exclusive = question.Options.Where(o => o.Exclusive).ToList();
            if (exclusive.Count > 0 && _random.NextDouble() < 0.08)
            {
                answers[question.Id] = [exclusive[_random.Next(exclusive.Count)].Id];
                continue;
            }
            // Each option in proportion to its weight (the first is chosen by ~70%), at least one.
            var chosen = weights.Where(w => _random.NextDouble() < 0.7 * w.Weight).Select(w => w.Id).ToList();
            if (chosen.Count == 0) chosen.Add(Pick(weights));
            if (question.MaxSelections is { } max && chosen.Count > max) chosen = [.. chosen.OrderBy(_ => _random.Next()).Take(max)];
            answers[question.Id] = chosen;
        }
        return answers;
    }

    public List<Dictionary<string, IReadOnlyList<string>>> Take(int count) => [.. Enumerable.Range(0, count).Select(_ => Next())];

    private string Pick((string Id, double Weight)[] weights)
    {
        var x = _random.NextDouble() * weights.Sum(w => w.Weight);
        foreach (var (id, weight) in weights)
        {
            x -= weight;
            if (x < 0) return id;
        }
        return weights[^1].Id;
    }

    /// <summary>The counters (scope → counter → count) these responses leave, counted as the counter counts them (the stage too).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Count(SurveyDefinition definition, IEnumerable<IReadOnlyDictionary<string, IReadOnlyList<string>>> responses)
    {
        var counts = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        foreach (var response in responses)
        {
            foreach (var (scope, increments) in Tally.For(StageQuestion.Counted(definition, response), definition.Segments))
            {
                if (!counts.TryGetValue(scope, out var into)) counts[scope] = into = new(StringComparer.Ordinal);
                Tally.Add(into, increments);
            }
        }
        return counts.ToDictionary(c => c.Key, c => (IReadOnlyDictionary<string, long>)c.Value, StringComparer.Ordinal);
    }
}
