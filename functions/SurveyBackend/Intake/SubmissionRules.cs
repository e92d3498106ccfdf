using SurveyBackend.Languages;
using SurveyBackend.Privacy;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using SurveyBackend.Validation;

namespace SurveyBackend.Intake;

/// <summary>
/// A submission that passed every rule, normalised (docs/intake.md), in the shape its answers keep all the way to the
/// counters (<see cref="Storage.Answers"/>); the email only when it may be kept.
/// </summary>
/// <param name="Language">The respondent's language, kept only beside a report address; null when they gave none.</param>
public sealed record AcceptedSubmission(string SubmissionId, Answers Answers, string? Email, string? Language = null);

/// <summary>
/// The rules of docs/openapi.json (SubmitResponse) for a submission against its survey's definition. Every fault is reported under
/// its field path (<c>answers.channels[2]</c>, <c>other.channels</c>, <c>respondent.email</c>), all at once.
/// </summary>
public static class SubmissionRules
{
    public const int MaxEmailLength = EmailAddress.MaxLength;

    public static Validated<AcceptedSubmission> Validate(SurveyDefinition definition, SubmissionRequest request)
    {
        var errors = new ValidationErrors();
        var text = UiText.For(request.Language);

        var submissionId = NormaliseSubmissionId(request.SubmissionId);
        if (request.SubmissionId is null) errors.Add("submissionId", text["error.submissionIdMissing"]);
        else if (submissionId is null) errors.Add("submissionId", text["error.submissionIdInvalid"]);

        foreach (var questionId in request.Answers.Keys.Where(id => definition.FindQuestion(id) is null))
        {
            errors.Add("answers." + questionId, text.Format("error.noQuestion", ("question", questionId)));
        }

        var answers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var question in definition.Questions)
        {
            var path = "answers." + question.Id;
            request.Answers.TryGetValue(question.Id, out var answer);
            if (answer == AnswerInput.Unreadable) continue;
            var chosen = answer is null ? [] : CheckAnswer(question, answer, path, errors, text);
            if (chosen.Count > 0) answers[question.Id] = chosen;
            else if (question.Required && (answer is null || IsEmpty(answer))) errors.Add(path, text["error.required"]);
        }

        var other = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (questionId, given) in request.Other)
        {
            var path = "other." + questionId;
            var question = definition.FindQuestion(questionId);
            var trimmed = given.Trim();
            if (question is null) errors.Add(path, text.Format("error.noQuestion", ("question", questionId)));
            else if (!question.AllowOther) errors.Add(path, text["error.otherNotTaken"]);
            else if (trimmed.Length > SurveyRules.MaxOtherTextLength) errors.Add(path, text.Format("error.otherTooLong", ("max", SurveyRules.MaxOtherTextLength)));
            else if (trimmed.Length == 0) continue;
            else if (!(request.Answers.TryGetValue(questionId, out var answer) && answer.OptionIds.Contains(SurveyRules.OtherOptionId)))
                errors.Add(path, text.Format("error.otherNotChosen", ("option", SurveyRules.OtherOptionId)));
            else other[questionId] = trimmed;
        }

        var email = CheckRespondent(request.Respondent, errors, text);
        errors = ValidationErrors.Combine(request.ReadErrors, errors);

        return errors.IsEmpty
            ? Validated<AcceptedSubmission>.Ok(new AcceptedSubmission(submissionId!, new Answers { Chosen = answers, Other = other }, email, email is not null && request.LanguageGiven ? request.Language : null))
            : Validated<AcceptedSubmission>.Fail(errors);
    }

    /// <summary>The id in canonical form (lower-case, hyphenated), or null if it is not a UUID (the nil UUID is not one a client makes).</summary>
    public static string? NormaliseSubmissionId(string? submissionId) =>
        submissionId is { Length: 36 } && Guid.TryParseExact(submissionId, "D", out var id) && id != Guid.Empty
            ? id.ToString("D")
            : null;

    /// <summary>An address a report can go to (<see cref="EmailAddress.Check"/>): the mailer is the real test.</summary>
    public static bool IsEmailAddress(string email) => EmailAddress.Check(email) == EmailFault.None;

    private static bool IsEmpty(AnswerInput answer) => answer.OptionIds.Count == 0 || (!answer.IsList && answer.OptionIds[0] == "");

    private static List<string> CheckAnswer(Question question, AnswerInput answer, string path, ValidationErrors errors, UiText text)
    {
        if (question.Type == QuestionType.Single && answer.IsList)
        {
            errors.Add(path, text["error.notList"]);
            return [];
        }
        if (question.Type == QuestionType.Multiple && !answer.IsList)
        {
            errors.Add(path, text["error.needsList"]);
            return [];
        }
        if (IsEmpty(answer)) return [];

        var choosable = question.ChoosableOptionIds;
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        var faulty = false;
        for (var i = 0; i < answer.OptionIds.Count; i++)
        {
            var itemPath = answer.IsList ? $"{path}[{i}]" : path;
            var id = answer.OptionIds[i];
            if (id is null) faulty = true; // its type fault is already reported
            else if (!choosable.Contains(id, StringComparer.Ordinal))
            {
                errors.Add(itemPath, text.Format("error.noOption", ("option", id)));
                faulty = true;
            }
            else if (!chosen.Add(id))
            {
                errors.Add(itemPath, text.Format("error.chosenTwice", ("option", id)));
                faulty = true;
            }
        }

        if (question.MaxSelections is { } max && answer.OptionIds.Count > max)
        {
            errors.Add(path, text.Format("error.tooMany", ("max", max)));
            faulty = true;
        }
        var exclusive = question.Options.FirstOrDefault(o => o.Exclusive && chosen.Contains(o.Id));
        if (exclusive is not null && answer.OptionIds.Count > 1)
        {
            errors.Add(path, text.Format("error.exclusive", ("option", exclusive.Id)));
            faulty = true;
        }
        // Canonical order: the definition's, so equal answers are stored alike.
        return faulty ? [] : [.. choosable.Where(chosen.Contains)];
    }

    private static string? CheckRespondent(RespondentInput? respondent, ValidationErrors errors, UiText text)
    {
        if (respondent is null) return null;
        var email = respondent.Email?.Trim();
        if (respondent.WantsReport)
        {
            if (string.IsNullOrEmpty(email)) errors.Add("respondent.email", text["error.emailNeeded"]);
            else if (EmailAddress.Check(email) is var fault and not EmailFault.None) errors.Add("respondent.email", Message(fault, text));
        }
        else if (!string.IsNullOrEmpty(email) && EmailAddress.Check(email) == EmailFault.TooLong)
        {
            errors.Add("respondent.email", text.Format("error.emailTooLong", ("max", MaxEmailLength)));
        }
        // Kept only with both the wish and the consent; name and organisation are never kept (data minimisation).
        return respondent.WantsReport && respondent.Consent ? EmailAddress.Normalise(email) : null;
    }

    private static string Message(EmailFault fault, UiText text) => fault switch
    {
        EmailFault.TooLong => text.Format("error.emailTooLong", ("max", MaxEmailLength)),
        EmailFault.HiddenCharacter => text["error.emailCharacters"],
        _ => text["error.emailInvalid"],
    };
}
