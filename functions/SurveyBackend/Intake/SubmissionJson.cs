using SurveyBackend.Languages;
using SurveyBackend.Validation;

namespace SurveyBackend.Intake;

/// <summary>A submission's JSON body as a <see cref="SubmissionRequest"/>, read by <see cref="JsonBody"/>.</summary>
public static class SubmissionJson
{
    /// <summary>
    /// The request, or (only when the body is not a JSON object at all) the fault that stops it. Messages are in the
    /// body's <c>lang</c> when it names a supported language, else in <paramref name="headerLanguage"/> (from
    /// <c>Accept-Language</c>).
    /// </summary>
    public static Validated<SubmissionRequest> Parse(ReadOnlyMemory<byte> body, string? headerLanguage = null)
    {
        var read = JsonBody.Read(body, UiText.For(headerLanguage ?? UiText.English), root => Read(root, headerLanguage));
        return read.IsValid
            ? Validated<SubmissionRequest>.Ok(read.Value!.Value with { ReadErrors = read.Value.Faults })
            : Validated<SubmissionRequest>.Fail(read.Errors);
    }

    private static SubmissionRequest Read(JsonObjectReader root, string? headerLanguage)
    {
        // The language first, so every message below is in it.
        var peeked = root.Peek("lang");
        var asked = peeked.Kind == System.Text.Json.JsonValueKind.String ? peeked.String() : null;
        var language = UiText.IsSupported(asked) ? asked! : headerLanguage ?? UiText.English;
        root.Faults.Text = UiText.For(language);
        var fields = root.Fields("submissionId", "answers", "other", "respondent", "website", "lang", "proof");
        var lang = fields["lang"];
        if (!lang.IsMissing && !UiText.IsSupported(asked))
            root.Faults.Errors.Add(lang.Path, root.Faults.Text.Format("error.language", ("languages", string.Join(", ", UiText.Supported))));

        var answers = fields["answers"];
        if (answers.IsMissing) answers.Fault("error.answersMissing");
        return new SubmissionRequest
        {
            SubmissionId = fields["submissionId"].String("error.submissionIdType", nullable: false),
            Answers = ReadAnswers(answers.Object("error.answersType", nullable: answers.IsMissing)),
            Other = ReadOther(fields["other"].Object("error.otherType")),
            Respondent = ReadRespondent(fields["respondent"].Object("error.respondentType")),
            Website = fields["website"].String(),
            Proof = fields["proof"].String(),
            Language = language,
            LanguageGiven = UiText.IsSupported(asked) || headerLanguage is not null,
        };
    }

    private static Dictionary<string, AnswerInput> ReadAnswers(JsonObjectReader? answers)
    {
        var into = new Dictionary<string, AnswerInput>(StringComparer.Ordinal);
        foreach (var answer in answers?.Properties() ?? [])
        {
            into[answer.Name] = answer.Kind switch
            {
                System.Text.Json.JsonValueKind.String => AnswerInput.One(answer.String()!),
                System.Text.Json.JsonValueKind.Array => AnswerInput.Many(answer.List(item => item.String("error.optionType", nullable: false))!),
                _ => Unreadable(answer),
            };
        }
        return into;

        static AnswerInput Unreadable(JsonValue answer)
        {
            answer.Fault("error.answerType");
            return AnswerInput.Unreadable;
        }
    }

    private static Dictionary<string, string> ReadOther(JsonObjectReader? other)
    {
        var into = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var text in other?.Properties() ?? [])
            if (text.String("error.otherTextType", nullable: false) is { } value) into[text.Name] = value;
        return into;
    }

    private static RespondentInput? ReadRespondent(JsonObjectReader? respondent)
    {
        if (respondent is not { } reader) return null;
        var fields = reader.Fields("email", "name", "organisation", "wantsReport", "consent");
        return new RespondentInput(fields["email"].String(), fields["name"].String(), fields["organisation"].String(),
            fields["wantsReport"].Bool() ?? false, fields["consent"].Bool() ?? false);
    }
}
