using Microsoft.Extensions.Primitives;
using SurveyBackend.Intake;
using SurveyBackend.Languages;
using SurveyBackend.Surveys;

namespace SurveyBackend.Form;

/// <summary>
/// The no-JavaScript form's urlencoded fields as the same <see cref="SubmissionRequest"/> the JSON route builds, so
/// both go through the same <see cref="IntakeService"/> (same rules, same idempotency on the page's submissionId).
/// </summary>
public static class FormFields
{
    /// <summary>
    /// The form's fields (docs/form.md) as a submission, and as values to show again. Fields the form does not have
    /// are ignored.
    /// </summary>
    /// <param name="language">The page's language when the post does not name one the survey offers (<c>lang</c>).</param>
    public static (SubmissionRequest Submission, FormValues Values) Read(SurveyDefinition survey, Dictionary<string, StringValues> fields, string language = UiText.English)
    {
        string? One(string name) => fields.TryGetValue(name, out var v) ? v.ToString() : null;
        if (One(FormRenderer.LanguageField) is { } named && survey.Offers(named)) language = named;

        var answers = new Dictionary<string, AnswerInput>(StringComparer.Ordinal);
        var chosen = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var other = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            if (name.StartsWith("answers.", StringComparison.Ordinal))
            {
                var questionId = name["answers.".Length..];
                string[] ids = [.. value.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!)];
                if (ids.Length == 0) continue;
                var multiple = survey.FindQuestion(questionId)?.Type == QuestionType.Multiple || ids.Length > 1;
                answers[questionId] = multiple ? AnswerInput.Many(ids) : AnswerInput.One(ids[0]);
                chosen[questionId] = ids;
            }
            else if (name.StartsWith("other.", StringComparison.Ordinal) && !string.IsNullOrWhiteSpace(value))
            {
                other[name["other.".Length..]] = value.ToString();
            }
        }

        var email = One("respondent.email")?.Trim();
        var wantsReport = string.Equals(One("respondent.wantsReport"), "true", StringComparison.OrdinalIgnoreCase);
        var submission = new SubmissionRequest
        {
            SubmissionId = One("submissionId"),
            Answers = answers,
            Other = other,
            Respondent = string.IsNullOrEmpty(email) && !wantsReport ? null : new RespondentInput(email, null, null, wantsReport, wantsReport),
            Website = One("website"),
            Language = language,
        };
        var values = new FormValues
        {
            // A page posted without one still gets a stable id for its next try.
            SubmissionId = One("submissionId") is { Length: > 0 } id ? id : Guid.NewGuid().ToString("D"),
            Answers = chosen,
            Other = other,
            Email = email,
            WantsReport = wantsReport,
        };
        return (submission, values);
    }
}
