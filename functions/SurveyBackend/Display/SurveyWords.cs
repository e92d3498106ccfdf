using SurveyBackend.Languages;
using SurveyBackend.Surveys;

namespace SurveyBackend.Display;

/// <summary>
/// How a survey's questions and answers read in one language, wherever they are shown: the report page, its email,
/// slides and charts, the results CSV and the form's "how you compare". <paramref name="wording"/> is the definition
/// in that language (and as reported, where reporting groups apply); an id it does not know reads as itself.
/// </summary>
public sealed class SurveyWords(SurveyDefinition wording, UiText text)
{
    public string Question(string questionId) => wording.FindQuestion(questionId)?.Text ?? questionId;

    /// <summary>An option's text; "Other" (the form's word for it) for the free-text option a question allows.</summary>
    public string Option(string questionId, string optionId) =>
        optionId == SurveyRules.OtherOptionId && wording.FindQuestion(questionId)?.Options.All(o => o.Id != optionId) != false
            ? text["form.other"]
            : wording.FindQuestion(questionId)?.Options.FirstOrDefault(o => o.Id == optionId)?.Text ?? optionId;
}
