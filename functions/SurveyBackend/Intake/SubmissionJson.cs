using System.Text.Json;
using System.Text.Unicode;
using SurveyBackend.Web;

namespace SurveyBackend.Intake;

/// <summary>
/// Reads a submission's JSON body into a <see cref="SubmissionRequest"/> by hand (JsonDocument), so that every
/// wrong type, null, unknown or repeated property is reported at its own field path rather than stopping
/// at the first one as a deserializer would.
/// </summary>
public static class SubmissionJson
{
    private static readonly string[] TopLevel = ["submissionId", "answers", "other", "respondent", "website"];
    private static readonly string[] RespondentProperties = ["email", "name", "organisation", "wantsReport", "consent"];
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    /// <summary>The request, or (only when the body is not a JSON object at all) the fault that stops it.</summary>
    public static Validated<SubmissionRequest> Parse(ReadOnlyMemory<byte> body)
    {
        // JsonDocument checks strings' UTF-8 only when they are read; check it all here, so no read throws later.
        if (!Utf8.IsValid(body.Span)) return Validated<SubmissionRequest>.Fail("", "The body is not valid UTF-8.");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException)
        {
            return Validated<SubmissionRequest>.Fail("", "The body is not valid JSON.");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return Validated<SubmissionRequest>.Fail("", "The body must be a JSON object.");
            return Validated<SubmissionRequest>.Ok(Read(root));
        }
    }

    private static SubmissionRequest Read(JsonElement root)
    {
        var errors = new ValidationErrors();
        string? submissionId = null, website = null;
        var answers = new Dictionary<string, AnswerInput>(StringComparer.Ordinal);
        var other = new Dictionary<string, string>(StringComparer.Ordinal);
        RespondentInput? respondent = null;

        foreach (var property in Properties(root, "", errors))
        {
            var path = property.Name;
            var value = property.Value;
            switch (property.Name)
            {
                case "submissionId":
                    if (value.ValueKind == JsonValueKind.String) submissionId = value.GetString();
                    else errors.Add(path, "The submissionId must be a UUID string.");
                    break;
                case "answers":
                    if (value.ValueKind == JsonValueKind.Object) ReadAnswers(value, answers, errors);
                    else errors.Add(path, "The answers must be an object of question id → option id(s).");
                    break;
                case "other":
                    if (value.ValueKind == JsonValueKind.Object) ReadOther(value, other, errors);
                    else if (value.ValueKind != JsonValueKind.Null) errors.Add(path, "The other texts must be an object of question id → text.");
                    break;
                case "respondent":
                    if (value.ValueKind == JsonValueKind.Object) respondent = ReadRespondent(value, errors);
                    else if (value.ValueKind != JsonValueKind.Null) errors.Add(path, "The respondent must be an object.");
                    break;
                case "website":
                    if (value.ValueKind == JsonValueKind.String) website = value.GetString();
                    else if (value.ValueKind != JsonValueKind.Null) errors.Add(path, "This field must be a string.");
                    break;
                default:
                    errors.Add(path, "This property is not allowed.");
                    break;
            }
        }
        if (!root.TryGetProperty("answers", out _)) errors.Add("answers", "The answers are required.");

        return new SubmissionRequest
        {
            SubmissionId = submissionId,
            Answers = answers,
            Other = other,
            Respondent = respondent,
            Website = website,
            ReadErrors = errors,
        };
    }

    private static void ReadAnswers(JsonElement answers, Dictionary<string, AnswerInput> into, ValidationErrors errors)
    {
        foreach (var property in Properties(answers, "answers.", errors))
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
                            errors.Add($"{path}[{i}]", "An option id must be a string.");
                        }
                        i++;
                    }
                    into[property.Name] = AnswerInput.Many(ids);
                    break;
                default:
                    into[property.Name] = AnswerInput.Unreadable;
                    errors.Add(path, "An answer must be an option id (a string) or a list of option ids.");
                    break;
            }
        }
    }

    private static void ReadOther(JsonElement other, Dictionary<string, string> into, ValidationErrors errors)
    {
        foreach (var property in Properties(other, "other.", errors))
        {
            if (property.Value.ValueKind == JsonValueKind.String) into[property.Name] = property.Value.GetString()!;
            else errors.Add("other." + property.Name, "The Other text must be a string.");
        }
    }

    private static RespondentInput ReadRespondent(JsonElement respondent, ValidationErrors errors)
    {
        string? email = null, name = null, organisation = null;
        bool wantsReport = false, consent = false;
        foreach (var property in Properties(respondent, "respondent.", errors))
        {
            var path = "respondent." + property.Name;
            var value = property.Value;
            switch (property.Name)
            {
                case "email": email = OptionalString(value, path, errors); break;
                case "name": name = OptionalString(value, path, errors); break;
                case "organisation": organisation = OptionalString(value, path, errors); break;
                case "wantsReport": wantsReport = OptionalBool(value, path, errors); break;
                case "consent": consent = OptionalBool(value, path, errors); break;
                default: errors.Add(path, "This property is not allowed."); break;
            }
        }
        return new RespondentInput(email, name, organisation, wantsReport, consent);
    }

    private static string? OptionalString(JsonElement value, string path, ValidationErrors errors)
    {
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        if (value.ValueKind != JsonValueKind.Null) errors.Add(path, "This field must be a string.");
        return null;
    }

    private static bool OptionalBool(JsonElement value, string path, ValidationErrors errors)
    {
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        if (value.ValueKind != JsonValueKind.Null) errors.Add(path, "This field must be true or false.");
        return false;
    }

    /// <summary>An object's properties, each name once: a repeated name is a fault (which value would count?).</summary>
    private static IEnumerable<JsonProperty> Properties(JsonElement element, string prefix, ValidationErrors errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (seen.Add(property.Name)) yield return property;
            else errors.Add(prefix + property.Name, "This property appears more than once.");
        }
    }
}
