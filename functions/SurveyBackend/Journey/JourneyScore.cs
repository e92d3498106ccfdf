using SurveyBackend.Surveys;

namespace SurveyBackend.Journey;

/// <summary>One respondent's place on the journey: the score out of 100, the stage it falls in, and each sub-index's score.</summary>
public sealed record JourneyResult(int Score, JourneyStage Stage, IReadOnlyList<IndexScore> Indexes);

public sealed record IndexScore(JourneyIndex Index, int Score);

/// <summary>
/// The scoring rule (docs/journey.md), the one the form's script repeats in Form/Assets/journey.js; both run the shared
/// vectors in tests/journey-vectors.json, so the screen and the published count cannot disagree.
/// </summary>
public static class JourneyScore
{
    /// <summary>Where these answers (question id → chosen option ids) place a respondent; null for a survey with no journey.</summary>
    public static JourneyResult? Of(SurveyDefinition definition, IReadOnlyDictionary<string, IReadOnlyList<string>> chosen)
    {
        if (definition.Journey is not { } journey) return null;
        var score = Score(definition.Questions.Where(IsScored), chosen);
        var indexes = journey.Indexes.Select(index =>
            new IndexScore(index, Score(index.Questions.Select(id => definition.FindQuestion(id)!), chosen)));
        return new JourneyResult(score, journey.StageFor(score), [.. indexes]);
    }

    /// <summary>The score of these questions out of 100: <c>(200 × points + max) / (2 × max)</c> in integers.</summary>
    public static int Score(IEnumerable<Question> questions, IReadOnlyDictionary<string, IReadOnlyList<string>> chosen)
    {
        long points = 0, max = 0;
        foreach (var question in questions)
        {
            points += Points(question, chosen.GetValueOrDefault(question.Id));
            max += MaxPoints(question);
        }
        return Scale(points, max);
    }

    public static int Scale(long points, long max)
    {
        // The rules refuse a model whose questions can score nothing: there is no sensible score out of 0.
        if (max <= 0) throw new ArgumentOutOfRangeException(nameof(max), "The most points possible must be positive.");
        return (int)((200 * points + max) / (2 * max));
    }

    public static bool IsScored(Question question) => question.Options.Any(o => o.Points is not null);

    /// <summary>
    /// The points of the options chosen, at most <see cref="MaxPoints"/>: answers past the question's limits never get
    /// here (the answer rules refuse them), and if one did it could not score above 100.
    /// </summary>
    public static int Points(Question question, IReadOnlyList<string>? chosen)
    {
        if (chosen is null) return 0;
        var points = question.Options.Where(o => chosen.Contains(o.Id)).Sum(o => o.Points ?? 0);
        return Math.Min(points, MaxPoints(question));
    }

    /// <summary>
    /// Single choice: its highest option. Multiple choice: the sum of its <c>maxSelections</c> highest non-exclusive
    /// options (all of them with no limit), or its highest exclusive option if that is more.
    /// </summary>
    public static int MaxPoints(Question question)
    {
        var points = question.Options.Where(o => !o.Exclusive).Select(o => o.Points ?? 0).OrderDescending();
        if (question.Type == QuestionType.Single) return points.FirstOrDefault();
        var together = points.Take(question.MaxSelections ?? int.MaxValue).Sum();
        var alone = question.Options.Where(o => o.Exclusive).Select(o => o.Points ?? 0).DefaultIfEmpty(0).Max();
        return Math.Max(together, alone);
    }
}
