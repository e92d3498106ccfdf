using SurveyBackend.Surveys;

namespace SurveyBackend.Journey;

/// <summary>
/// What fixes a respondent's stage (docs/journey.md, "Locks"): once a survey has responses it may not change, because
/// respondents already counted were placed by it; the texts may. Two waves whose scoring is the same compare.
/// </summary>
public static class JourneyLock
{
    /// <summary>Why <paramref name="after"/> may not replace <paramref name="before"/> once there are responses; null when it may.</summary>
    public static string? LockedChange(SurveyDefinition before, SurveyDefinition after)
    {
        if (before.Journey is null && after.Journey is null) return null;
        var change = ScoringChange(before, after);
        return change is null ? null
            : $"This survey has responses, so how its journey is scored is fixed: {change}. The journey's texts (title, stage names, about, next, index names) may still change.";
    }

    /// <summary>Whether both surveys have a journey and score it alike: the same stages and the same points on the same questions.</summary>
    public static bool SameScoring(SurveyDefinition a, SurveyDefinition b) =>
        a.Journey is not null && b.Journey is not null && ScoringChange(a, b) is null;

    private static string? ScoringChange(SurveyDefinition before, SurveyDefinition after)
    {
        if (before.Journey is not { } then) return "a journey cannot be added, since the respondents already counted were counted without one";
        if (after.Journey is not { } now) return "the journey cannot be removed, since the respondents already counted were placed on it";
        if (!then.Stages.Select(s => (s.Id, s.MinScore)).SequenceEqual(now.Stages.Select(s => (s.Id, s.MinScore))))
            return "the stages' ids and minScore cannot change";

        foreach (var question in before.Questions.Where(JourneyScore.IsScored).Concat(after.Questions.Where(JourneyScore.IsScored)))
        {
            var (old, current) = (before.FindQuestion(question.Id), after.FindQuestion(question.Id));
            if (old is null || current is null) return $"question '{question.Id}' is scored and cannot be added or removed";
            if (Scoring(old) != Scoring(current)) return $"the points of question '{question.Id}' cannot change, nor its maxSelections or exclusive options";
        }
        return null;
    }

    private static string Scoring(Question q) =>
        $"{q.Type}|{q.MaxSelections}|" + string.Join(',', q.Options.Select(o => $"{o.Id}:{o.Points}:{o.Exclusive}"));
}
