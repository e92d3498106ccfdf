using SurveyBackend.Anonymity;
using SurveyBackend.Storage;

namespace SurveyBackend.Mailing;

/// <summary>Whether a survey can still gain report recipients: a mailing is complete only once none can arrive.</summary>
public sealed class RecipientArrivals(RecipientFlusher flusher, PendingRecipientStore pool)
{
    /// <summary>
    /// The survey may still take submissions, a pending submission still holds an address, or an address still waits
    /// for its batch. Exact rather than timed: a mailing completes once the last address has landed.
    /// </summary>
    public async Task<bool> MoreMayArriveAsync(string surveyId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await flusher.MoreMayArriveAsync(surveyId, now, cancellationToken) || await pool.AnyWaitingAsync(surveyId, cancellationToken);
}
