using SurveyBackend.Surveys;

namespace SurveyBackend.Journey;

/// <summary>
/// The stage as counted: the answer to a derived single-choice, ordered question (options: the stages' ids in order),
/// counted once at anonymisation, so releases and suppression treat it like every figure (docs/journey.md). Its id's
/// dot never clashes with a definition's ids. No scored answer scores 0: the first stage.
/// </summary>
public static class StageQuestion
{
    public const string Id = "journey.stage";

    /// <summary>The derived question (texts from the model, in the definition's language); null without a journey.</summary>
    public static Question? Of(SurveyDefinition definition) => definition.Journey is not { } journey ? null : new Question
    {
        Id = Id,
        Text = journey.Title,
        Type = QuestionType.Single,
        // Everyone has a stage, so the stage counts add up to the respondents: a sum the suppression protects.
        Required = true,
        Ordered = true,
        Options = [.. journey.Stages.Select(s => new QuestionOption { Id = s.Id, Text = s.Name })],
    };

    /// <summary>The answers as counted: the respondent's own, and the stage they place them on (unchanged without a journey).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Counted(
        SurveyDefinition definition, IReadOnlyDictionary<string, IReadOnlyList<string>> chosen)
    {
        // The stage alone: the sub-indexes are for the respondent's screen, not counted.
        if (definition.Journey is not { } journey) return chosen;
        var stage = journey.StageFor(JourneyScore.Score(definition.Questions.Where(JourneyScore.IsScored), chosen));
        return new Dictionary<string, IReadOnlyList<string>>(chosen, StringComparer.Ordinal) { [Id] = [stage.Id] };
    }
}
