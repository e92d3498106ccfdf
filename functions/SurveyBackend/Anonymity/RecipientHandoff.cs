using SurveyBackend.Privacy;
using SurveyBackend.Storage;

namespace SurveyBackend.Anonymity;

/// <summary>
/// Passes a consenting address on to the report mailing without a link to its response: normalised, sealed under
/// the app's secret, and left in the pending recipients table, from where <see cref="RecipientFlusher"/> writes it
/// in a shuffled batch. The respondent's language travels inside the seal (<see cref="SealedRecipient"/>), so the
/// pending table holds nothing more than it did.
/// </summary>
public sealed class RecipientHandoff(PendingRecipientStore pending, RecipientSeal seal)
{
    public async Task AddAsync(string surveyId, string email, string? language, CancellationToken cancellationToken)
    {
        if (EmailAddress.Normalise(email) is { } normalised)
            await pending.AddAsync(surveyId, seal.Seal(surveyId, SealedRecipient.Join(normalised, language)), cancellationToken);
    }
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
