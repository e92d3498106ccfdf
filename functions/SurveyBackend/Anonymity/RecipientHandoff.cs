using SurveyBackend.Privacy;

namespace SurveyBackend.Anonymity;

/// <summary>
/// Passes a consenting address on to the report mailing without a link to its response: normalised and sealed under
/// the app's secret, to wait in the survey's pool (<see cref="Storage.PendingRecipientStore"/>), from where
/// <see cref="RecipientFlusher"/> writes it in a shuffled batch. The respondent's language travels inside the seal
/// (<see cref="SealedRecipient"/>), so the pool holds nothing but the seal.
/// </summary>
public sealed class RecipientHandoff(RecipientSeal seal)
{
    /// <summary>The sealed address to keep; null when the address does not normalise (nothing is kept).</summary>
    public string? Seal(string surveyId, string email, string? language) =>
        EmailAddress.Normalise(email) is { } normalised ? seal.Seal(surveyId, SealedRecipient.Join(normalised, language)) : null;
}

/// <summary>
/// What a seal holds: the address, prefixed with the language when one was given (<c>cy:jo@example.org</c>). An
/// address never contains ':' (<see cref="Intake.SubmissionRules.IsEmailAddress"/>), and seals made before languages
/// hold the bare address, which reads as no language given.
/// </summary>
public static class SealedRecipient
{
    public static string Join(string email, string? language) => language is null ? email : language + ":" + email;

    public static (string Email, string? Language) Split(string opened)
    {
        var colon = opened.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && Languages.UiText.IsSupported(opened[..colon]) ? (opened[(colon + 1)..], opened[..colon]) : (opened, null);
    }
}
