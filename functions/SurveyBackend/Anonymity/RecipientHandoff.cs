using SurveyBackend.Privacy;
using SurveyBackend.Storage;

namespace SurveyBackend.Anonymity;

/// <summary>
/// Passes a consenting address on to the report mailing without a link to its response: normalised, sealed under
/// the app's secret, and left in the pending recipients table, from where <see cref="RecipientFlusher"/> writes it
/// in a shuffled batch.
/// </summary>
public sealed class RecipientHandoff(PendingRecipientStore pending, RecipientSeal seal)
{
    public async Task AddAsync(string surveyId, string email, CancellationToken cancellationToken)
    {
        if (EmailAddress.Normalise(email) is { } normalised)
            await pending.AddAsync(surveyId, seal.Seal(surveyId, normalised), cancellationToken);
    }
}
