using SurveyBackend.Validation;

namespace SurveyBackend.Surveys;

public enum Comparability
{
    /// <summary>Same id, type and answer options, same wording.</summary>
    Same,
    /// <summary>Same id, type and answer options; the wording changed and the definition marks it <c>comparableWith: "previous"</c>.</summary>
    MarkedComparable,
    NotComparable,
}

/// <summary>Whether a question compares with the previous wave's, and if not, why (in words for the page).</summary>
public sealed record QuestionComparison(string QuestionId, Comparability Comparability, string? Reason = null)
{
    public bool IsComparable => Comparability != Comparability.NotComparable;
}

/// <summary>
/// The one place that decides whether a question compares with the previous wave's: the same id, type and options as
/// reported (the options the figures are of), and the same wording unless marked comparable (docs/trends.md).
/// </summary>
public static class WaveComparison
{
    public const string NotAskedBefore = "Not asked in the previous wave.";
    public const string DifferentType = "Asked as a different kind of question in the previous wave.";
    public const string DifferentOptions = "The answer options differ from the previous wave's.";
    public const string Reworded = "Worded differently in the previous wave.";
    /// <summary>The journey's stages compare only between waves that score alike (<c>JourneyLock.SameScoring</c>).</summary>
    public const string JourneyScoredDifferently = "The previous wave had no journey scored the same way.";

    public static QuestionComparison Compare(Question now, Question? then)
    {
        if (then is null) return new(now.Id, Comparability.NotComparable, NotAskedBefore);
        if (then.Type != now.Type) return new(now.Id, Comparability.NotComparable, DifferentType);
        if (!then.ChoosableOptionIds.SequenceEqual(now.ChoosableOptionIds, StringComparer.Ordinal))
            return new(now.Id, Comparability.NotComparable, DifferentOptions);
        if (SameWording(now, then)) return new(now.Id, Comparability.Same);
        return now.ComparableWith == SurveyRules.ComparableWithPrevious
            ? new(now.Id, Comparability.MarkedComparable)
            : new(now.Id, Comparability.NotComparable, Reworded);
    }

    /// <summary>Every question of <paramref name="now"/>, in its order, against the question of the same id in <paramref name="then"/>.</summary>
    public static IReadOnlyList<QuestionComparison> Compare(SurveyDefinition now, SurveyDefinition then) =>
        [.. now.Questions.Select(q => Compare(q, then.FindQuestion(q.Id)))];

    /// <summary>
    /// Whether the wording is unchanged: the question's text and each option's, compared exactly (a changed option
    /// text changes what the figure counts as much as a changed question). The English text: translations follow it.
    /// </summary>
    public static bool SameWording(Question now, Question then) =>
        string.Equals(now.Text, then.Text, StringComparison.Ordinal)
        && now.Options.Count == then.Options.Count
        && now.Options.Zip(then.Options).All(p => p.First.Id == p.Second.Id && string.Equals(p.First.Text, p.Second.Text, StringComparison.Ordinal));
}

/// <summary>
/// The rules on <c>previousWave</c> that need the stored surveys, checked when a definition is saved: the previous
/// wave exists, is not a draft, and following previous waves from it never comes back to this survey. A question
/// marked <c>comparableWith</c> must be one that can compare (same id, type and options in the previous wave).
/// </summary>
public static class PreviousWaveRules
{
    // Far more waves than a yearly survey will ever have; a bound so a broken chain cannot loop.
    public const int MaxChain = 100;

    public static async Task<ValidationErrors> CheckAsync(
        SurveyDefinition definition, Func<string, CancellationToken, Task<SurveyDefinition?>> find, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (definition.PreviousWave is not { } previousId) return errors;

        var previous = await find(previousId, cancellationToken);
        if (previous is null)
        {
            errors.Add("previousWave", "There is no survey with this id.");
            return errors;
        }
        if (previous.Status == SurveyStatus.Draft)
        {
            errors.Add("previousWave", "The previous wave is a draft: only a survey that has run can be compared with.");
            return errors;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal) { definition.Id };
        var step = previous;
        for (var i = 0; step is not null && i < MaxChain; i++)
        {
            if (!seen.Add(step.Id) || step.PreviousWave == definition.Id)
            {
                errors.Add("previousWave", "This would make a cycle: following previous waves from it leads back to this survey.");
                return errors;
            }
            step = step.PreviousWave is { } next ? await find(next, cancellationToken) : null;
        }

        for (var i = 0; i < definition.Questions.Count; i++)
        {
            var question = definition.Questions[i];
            if (question.ComparableWith is null) continue;
            var comparison = WaveComparison.Compare(question, previous.FindQuestion(question.Id));
            if (comparison.Reason is { } reason && reason != WaveComparison.Reworded)
                errors.Add($"questions[{i}].comparableWith", $"This question cannot be compared with the previous wave: {reason}");
        }
        return errors;
    }
}
