using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace SurveyBackend.Privacy;

/// <summary>
/// Keyed hashes under the app's secret, one private purpose per method, so a stored key cannot be tied to a submission
/// id or an address from storage alone and a typo cannot silently break unsubscribe (docs/anonymity.md). New writes use
/// the current secret; <see cref="Versions"/> still matches what a rotated one made (docs/deploy.md).
/// </summary>
public sealed class PrivacyKeys(IOptions<PrivacyOptions> options)
{
    /// <summary>Every secret's hashes, the current one first.</summary>
    public IReadOnlyList<KeyVersion> Versions { get; } = [.. options.Value.AllSecrets().Select((secret, i) => new KeyVersion(i, secret))];

    public KeyVersion Current => Versions[0];

    /// <summary>The raw submission's RowKey (its idempotency key) for a client's submission id, in any letter case.</summary>
    public string ForSubmission(string surveyId, string submissionId) => Current.ForSubmission(surveyId, submissionId);

    /// <summary>The anonymous response's key for the same submission id: not linkable to <see cref="ForSubmission"/> without the secret.</summary>
    public string ForResponse(string surveyId, string submissionId) => Current.ForResponse(surveyId, submissionId);

    /// <summary>The recipients table's RowKey for an address: one address is one recipient per survey.</summary>
    public string ForRecipient(string surveyId, string email) => Current.ForRecipient(surveyId, email);

    /// <summary>The key of a submission's address while it waits for its batch (<see cref="KeyVersion.ForWaiting"/>).</summary>
    public string ForWaiting(string surveyId, string submissionKey) => Current.ForWaiting(surveyId, submissionKey);

    /// <summary>The suppression-list key of an address, the same for every survey.</summary>
    public string ForUnsubscribe(string email) => Current.ForUnsubscribe(email);

    /// <summary>
    /// Every key the address may have been put on the suppression list under: under each secret, of its match key and
    /// of the normal form before Unicode normalisation (the two differ only for an address with non-ASCII letters).
    /// </summary>
    public IReadOnlyList<string> UnsubscribeKeys(string email) =>
        [.. Versions.SelectMany(v => v.UnsubscribeKeys(email)).Distinct(StringComparer.Ordinal)];

    /// <summary>Every key the address may already be a recipient of the survey under, the current one first.</summary>
    public IReadOnlyList<string> RecipientKeys(string surveyId, string email) =>
        [.. Versions.SelectMany(v => v.RecipientKeys(surveyId, email)).Distinct(StringComparer.Ordinal)];
}

/// <summary>The keyed hashes of one secret. <see cref="Index"/> 0 is the current secret; 1, 2, … the earlier ones, newest first.</summary>
public sealed class KeyVersion
{
    private const string SubmissionPurpose = "submission";
    private const string ResponsePurpose = "response";
    private const string RecipientPurpose = "recipient";
    private const string WaitingPurpose = "waiting";
    private const string UnsubscribePurpose = "unsubscribe";

    private readonly byte[] _secret;

    internal KeyVersion(int index, string secret) => (Index, _secret) = (index, Encoding.UTF8.GetBytes(secret));

    public int Index { get; }
    public bool IsCurrent => Index == 0;

    public string ForSubmission(string surveyId, string submissionId) => Hash(SubmissionPurpose, surveyId, submissionId.ToLowerInvariant());

    public string ForResponse(string surveyId, string submissionId) => Hash(ResponsePurpose, surveyId, submissionId.ToLowerInvariant());

    /// <summary>Of the address's match key (<see cref="EmailAddress.MatchKey"/>): <c>Jo@</c> and <c>jo@</c> are one recipient.</summary>
    public string ForRecipient(string surveyId, string email) => Hash(RecipientPurpose, surveyId, EmailAddress.MatchKey(email) ?? "");

    /// <summary>
    /// The key of a submission's address while it waits for its batch: keyed from the raw row's key, so it is unique,
    /// the same on a retry, and tied to nothing stored (neither the address, nor the response, nor the arrival time).
    /// </summary>
    public string ForWaiting(string surveyId, string submissionKey) => Hash(WaitingPurpose, surveyId, submissionKey);

    /// <summary>Of the address's match key: <c>Jo@</c> and <c>jo@</c> are one unsubscribe.</summary>
    public string ForUnsubscribe(string email) => Hash(UnsubscribePurpose, EmailAddress.MatchKey(email) ?? "");

    internal IEnumerable<string> UnsubscribeKeys(string email)
    {
        yield return ForUnsubscribe(email);
        yield return Hash(UnsubscribePurpose, EmailAddress.LegacyMatchKey(email) ?? "");
    }

    internal IEnumerable<string> RecipientKeys(string surveyId, string email)
    {
        yield return ForRecipient(surveyId, email);
        yield return Hash(RecipientPurpose, surveyId, EmailAddress.LegacyMatchKey(email) ?? "");
    }

    private string Hash(string purpose, params string[] parts)
    {
        var data = Encoding.UTF8.GetBytes(purpose + "\n" + string.Join("\n", parts));
        return Convert.ToHexStringLower(HMACSHA256.HashData(_secret, data));
    }
}
