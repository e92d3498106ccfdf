using SurveyBackend.Languages;
using SurveyBackend.Validation;

namespace SurveyBackend.Intake;

/// <summary>
/// A submission as a client sent it, before the survey's rules are applied. The JSON route builds it with
/// <see cref="SubmissionJson"/>; the no-JS form route builds it from its form fields. Values the reader
/// could not take (a number where an id was due) are already in <see cref="ReadErrors"/>.
/// </summary>
public sealed record SubmissionRequest
{
    public string? SubmissionId { get; init; }
    /// <summary>Question id → the answer as given.</summary>
    public IReadOnlyDictionary<string, AnswerInput> Answers { get; init; } = new Dictionary<string, AnswerInput>(StringComparer.Ordinal);
    /// <summary>Question id → "Other" free text.</summary>
    public IReadOnlyDictionary<string, string> Other { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
    public RespondentInput? Respondent { get; init; }
    /// <summary>The honeypot: people never see this field, so anything in it came from a bot.</summary>
    public string? Website { get; init; }
    /// <summary>The JSON body's <c>proof</c>: a solved proof-of-work challenge, base64 as the altcha widget makes it.</summary>
    public string? Proof { get; init; }
    /// <summary>Faults found while reading the wire format (types, nulls, unknown or repeated properties).</summary>
    public ValidationErrors ReadErrors { get; init; } = new();
    /// <summary>The respondent's language (<c>en</c>, <c>cy</c>): the messages are in it, and it is kept beside a report address.</summary>
    public string Language { get; init; } = UiText.English;
    /// <summary>
    /// Whether the respondent gave <see cref="Language"/> (a lang field, a page in it, Accept-Language) rather than
    /// it being the default: a report address with no language given gets the email in both languages.
    /// </summary>
    public bool LanguageGiven { get; init; } = true;
}

/// <summary>
/// One answer as given: a single option id or a list of them. A list item that was not a string is null
/// (its fault is already in <see cref="SubmissionRequest.ReadErrors"/>) but still counts towards the limit.
/// </summary>
public sealed record AnswerInput(bool IsList, IReadOnlyList<string?> OptionIds)
{
    public static AnswerInput One(string optionId) => new(false, [optionId]);
    public static AnswerInput Many(IEnumerable<string?> optionIds) => new(true, [.. optionIds]);
    /// <summary>An answer whose value could not be read at all (already reported): no further faults are added for it.</summary>
    public static AnswerInput Unreadable { get; } = new(false, []);
}

public sealed record RespondentInput(string? Email, string? Name, string? Organisation, bool WantsReport, bool Consent);
