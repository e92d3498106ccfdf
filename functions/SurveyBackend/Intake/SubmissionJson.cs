using System.Text.Json;
using System.Text.Unicode;
using SurveyBackend.Languages;
using SurveyBackend.Web;

namespace SurveyBackend.Intake;

/// <summary>
/// Reads a submission's JSON body into a <see cref="SubmissionRequest"/> by hand (JsonDocument), so that every
/// wrong type, null, unknown or repeated property is reported at its own field path rather than stopping
/// at the first one as a deserializer would.
/// </summary>
public static class SubmissionJson
{
    private static readonly string[] TopLevel = ["submissionId", "answers", "other", "respondent", "website", "lang", "proof"];
    private static readonly string[] RespondentProperties = ["email", "name", "organisation", "wantsReport", "consent"];
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    /// <summary>
    /// The request, or (only when the body is not a JSON object at all) the fault that stops it. Messages are in the
    /// body's <c>lang</c> when it names a supported language, else in <paramref name="headerLanguage"/> (from
    /// <c>Accept-Language</c>).
    /// </summary>
    public static Validated<SubmissionRequest> Parse(ReadOnlyMemory<byte> body, string? headerLanguage = null)
    {
        var header = UiText.For(headerLanguage ?? UiText.English);
        // JsonDocument checks strings' UTF-8 only when they are read; check it all here, so no read throws later.
        if (!Utf8.IsValid(body.Span)) return Validated<SubmissionRequest>.Fail("", header["error.notUtf8"]);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException)
        {
            return Validated<SubmissionRequest>.Fail("", header["error.notJson"]);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return Validated<SubmissionRequest>.Fail("", header["error.notObject"]);
            return Validated<SubmissionRequest>.Ok(Read(root, headerLanguage));
        }
    }

    private static SubmissionRequest Read(JsonElement root, string? headerLanguage)
    {
        var errors = new ValidationErrors();
        // The language first, so every message below is in it.
        var asked = root.TryGetProperty("lang", out var lang) && lang.ValueKind == JsonValueKind.String ? lang.GetString() : null;
        var language = UiText.IsSupported(asked) ? asked! : headerLanguage ?? UiText.English;
        var text = UiText.For(language);
        string? submissionId = null, website = null, proof = null;
        var answers = new Dictionary<string, AnswerInput>(StringComparer.Ordinal);
        var other = new Dictionary<string, string>(StringComparer.Ordinal);
        RespondentInput? respondent = null;

        foreach (var property in Properties(root, "", errors, text))
        {
            var path = property.Name;
            var value = property.Value;
            switch (property.Name)
            {
                case "submissionId":
                    if (value.ValueKind == JsonValueKind.String) submissionId = value.GetString();
                    else errors.Add(path, text["error.submissionIdType"]);
                    break;
                case "answers":
                    if (value.ValueKind == JsonValueKind.Object) ReadAnswers(value, answers, errors, text);
                    else errors.Add(path, text["error.answersType"]);
                    break;
                case "other":
                    if (value.ValueKind == JsonValueKind.Object) ReadOther(value, other, errors, text);
                    else if (value.ValueKind != JsonValueKind.Null) errors.Add(path, text["error.otherType"]);
                    break;
                case "respondent":
                    if (value.ValueKind == JsonValueKind.Object) respondent = ReadRespondent(value, errors, text);
                    else if (value.ValueKind != JsonValueKind.Null) errors.Add(path, text["error.respondentType"]);
                    break;
                case "website":
                    if (value.ValueKind == JsonValueKind.String) website = value.GetString();
                    else if (value.ValueKind != JsonValueKind.Null) errors.Add(path, text["error.stringType"]);
                    break;
                case "proof":
                    if (value.ValueKind == JsonValueKind.String) proof = value.GetString();
                    else if (value.ValueKind != JsonValueKind.Null) errors.Add(path, text["error.stringType"]);
                    break;
                case "lang":
                    if (!UiText.IsSupported(asked)) errors.Add(path, text.Format("error.language", ("languages", string.Join(", ", UiText.Supported))));
                    break;
                default:
                    errors.Add(path, text["error.notAllowed"]);
                    break;
            }
        }
        if (!root.TryGetProperty("answers", out _)) errors.Add("answers", text["error.answersMissing"]);

        return new SubmissionRequest
        {
            SubmissionId = submissionId,
            Answers = answers,
            Other = other,
            Respondent = respondent,
            Website = website,
            Proof = proof,
            ReadErrors = errors,
            Language = language,
            LanguageGiven = UiText.IsSupported(asked) || headerLanguage is not null,
        };
    }

    private static void ReadAnswers(JsonElement answers, Dictionary<string, AnswerInput> into, ValidationErrors errors, UiText text)
    {
        foreach (var property in Properties(answers, "answers.", errors, text))
        {
            var path = "answers." + property.Name;
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    into[property.Name] = AnswerInput.One(value.GetString()!);
                    break;
                case JsonValueKind.Array:
                    var ids = new List<string?>();
                    var i = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.String) ids.Add(item.GetString());
                        else
                        {
                            ids.Add(null);
                            errors.Add($"{path}[{i}]", text["error.optionType"]);
                        }
                        i++;
                    }
                    into[property.Name] = AnswerInput.Many(ids);
                    break;
                default:
                    into[property.Name] = AnswerInput.Unreadable;
                    errors.Add(path, text["error.answerType"]);
                    break;
            }
        }
    }

    private static void ReadOther(JsonElement other, Dictionary<string, string> into, ValidationErrors errors, UiText text)
    {
        foreach (var property in Properties(other, "other.", errors, text))
        {
            if (property.Value.ValueKind == JsonValueKind.String) into[property.Name] = property.Value.GetString()!;
            else errors.Add("other." + property.Name, text["error.otherTextType"]);
        }
    }

    private static RespondentInput ReadRespondent(JsonElement respondent, ValidationErrors errors, UiText text)
    {
        string? email = null, name = null, organisation = null;
        bool wantsReport = false, consent = false;
        foreach (var property in Properties(respondent, "respondent.", errors, text))
        {
            var path = "respondent." + property.Name;
            var value = property.Value;
            switch (property.Name)
            {
                case "email": email = OptionalString(value, path, errors, text); break;
                case "name": name = OptionalString(value, path, errors, text); break;
                case "organisation": organisation = OptionalString(value, path, errors, text); break;
                case "wantsReport": wantsReport = OptionalBool(value, path, errors, text); break;
                case "consent": consent = OptionalBool(value, path, errors, text); break;
                default: errors.Add(path, text["error.notAllowed"]); break;
            }
        }
        return new RespondentInput(email, name, organisation, wantsReport, consent);
    }

    private static string? OptionalString(JsonElement value, string path, ValidationErrors errors, UiText text)
    {
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        if (value.ValueKind != JsonValueKind.Null) errors.Add(path, text["error.stringType"]);
        return null;
    }

    private static bool OptionalBool(JsonElement value, string path, ValidationErrors errors, UiText text)
    {
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        if (value.ValueKind != JsonValueKind.Null) errors.Add(path, text["error.boolType"]);
        return false;
    }

    /// <summary>An object's properties, each name once: a repeated name is a fault (which value would count?).</summary>
    private static IEnumerable<JsonProperty> Properties(JsonElement element, string prefix, ValidationErrors errors, UiText text)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (seen.Add(property.Name)) yield return property;
            else errors.Add(prefix + property.Name, text["error.repeated"]);
        }
    }
}
