using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace SurveyBackend.Privacy;

/// <summary>
/// Keyed hashes under the app's secret, one method per purpose. A stored key made this way cannot be recomputed,
/// and so cannot be tied to a client's submission id or an email address, by anyone holding only the storage
/// account; the purpose keeps hashes of one kind from matching another (a response key is not the raw row's key).
/// The purposes are private so no caller can mistype one: a typo would silently break unsubscribe or unlinkability.
/// </summary>
public sealed class PrivacyKeys(IOptions<PrivacyOptions> options)
{
    private const string SubmissionPurpose = "submission";
    private const string ResponsePurpose = "response";
    private const string RecipientPurpose = "recipient";
    private const string WaitingPurpose = "waiting";
    private const string UnsubscribePurpose = "unsubscribe";

    private readonly byte[] _secret = Encoding.UTF8.GetBytes(options.Value.Secret);

    /// <summary>The raw submission's RowKey (its idempotency key) for a client's submission id, in any letter case.</summary>
    public string ForSubmission(string surveyId, string submissionId) => Hash(SubmissionPurpose, surveyId, submissionId.ToLowerInvariant());

    /// <summary>The anonymous response's key for the same submission id: not linkable to <see cref="ForSubmission"/> without the secret.</summary>
    public string ForResponse(string surveyId, string submissionId) => Hash(ResponsePurpose, surveyId, submissionId.ToLowerInvariant());

    /// <summary>The recipients table's RowKey for an address (normalised here): one address is one recipient per survey.</summary>
    public string ForRecipient(string surveyId, string email) => Hash(RecipientPurpose, surveyId, EmailAddress.Normalise(email) ?? "");

    /// <summary>
    /// The key of a submission's address while it waits for its batch: keyed from the raw row's key, so it is unique,
    /// the same on a retry, and tied to nothing stored (neither the address, nor the response, nor the arrival time).
    /// </summary>
    public string ForWaiting(string surveyId, string submissionKey) => Hash(WaitingPurpose, surveyId, submissionKey);

    /// <summary>The suppression-list key of an address (normalised here), the same for every survey.</summary>
    public string ForUnsubscribe(string email) => Hash(UnsubscribePurpose, EmailAddress.Normalise(email) ?? "");

    private string Hash(string purpose, params string[] parts)
    {
        var data = Encoding.UTF8.GetBytes(purpose + "\n" + string.Join("\n", parts));
        return Convert.ToHexStringLower(HMACSHA256.HashData(_secret, data));
    }
}
