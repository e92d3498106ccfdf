using System.Globalization;
using SurveyBackend.Privacy;
using SurveyBackend.Storage;

namespace SurveyBackend.Anonymity;

/// <summary>
/// What is kept of a submission: its answers, its "Other" text scrubbed of contact details, and the day it arrived,
/// under a response key that nothing else stored can be tied to. No email, name, submission id or raw-row key.
/// </summary>
public sealed class AnonymousResponses(PrivacyKeys keys, OtherTextScrubber scrubber, TimeProvider clock)
{
    /// <param name="version">The secret the submission was stored under (the current one but across a rotation): its response is keyed with it too.</param>
    public AnonymousResponse From(SubmissionMessage message, RawSubmission raw, KeyVersion? version = null)
    {
        var other = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (questionId, text) in raw.Answers.Other)
        {
            if (!string.IsNullOrWhiteSpace(text)) other[questionId] = scrubber.Scrub(text);
        }
        return new AnonymousResponse(
            message.SurveyId,
            // Keyed under the secret, and a different purpose from the raw row's key: neither can be tied to the other.
            (version ?? keys.Current).ForResponse(message.SurveyId, message.SubmissionId),
            // The day its row was stored: storage's own stamp, since no property holds the arrival.
            (raw.StoredAt ?? clock.GetUtcNow()).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            raw.Answers with { Other = other });
    }
}
