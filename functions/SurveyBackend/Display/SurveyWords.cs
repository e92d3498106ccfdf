using SurveyBackend.Journey;
using SurveyBackend.Languages;
using SurveyBackend.Surveys;

namespace SurveyBackend.Display;

/// <summary>
/// How a survey's questions and answers read in one language wherever they are shown (report, email, slides, CSV, "how
/// you compare"). <paramref name="wording"/>: the definition in that language, as reported; an unknown id reads as
/// itself; the stage question (<see cref="StageQuestion"/>) as the journey's title and the stages' names.
/// </summary>
public sealed class SurveyWords(SurveyDefinition wording, UiText text)
{
    private readonly Question? _stage = StageQuestion.Of(wording);

    public string Question(string questionId) => Find(questionId)?.Text ?? questionId;

    /// <summary>An option's text; "Other" (the form's word for it) for the free-text option a question allows.</summary>
    public string Option(string questionId, string optionId) =>
        optionId == SurveyRules.OtherOptionId && Find(questionId)?.Options.All(o => o.Id != optionId) != false
            ? text["form.other"]
            : Find(questionId)?.Options.FirstOrDefault(o => o.Id == optionId)?.Text ?? optionId;

    private Question? Find(string questionId) => questionId == StageQuestion.Id ? _stage : wording.FindQuestion(questionId);
}
