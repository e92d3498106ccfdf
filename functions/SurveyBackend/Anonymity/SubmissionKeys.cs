using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace SurveyBackend.Anonymity;

/// <summary>
/// Keyed hashes under the app's secret. A stored key made this way cannot be recomputed, and so cannot
/// be tied to a client's submission id or an email address, by anyone holding only the storage account.
/// </summary>
public sealed class SubmissionKeys(IOptions<AnonymityOptions> options)
{
    private readonly byte[] _secret = Encoding.UTF8.GetBytes(options.Value.Secret);

    /// <summary>The raw submission's RowKey for a client's submission id.</summary>
    public string ForSubmission(string surveyId, string submissionId) => Hash("submission", surveyId, submissionId.ToLowerInvariant());

    /// <summary>A keyed hash for any purpose; the purpose keeps hashes of one kind from matching another.</summary>
    public string Hash(string purpose, params string[] parts)
    {
        var data = Encoding.UTF8.GetBytes(purpose + "\n" + string.Join("\n", parts));
        return Convert.ToHexStringLower(HMACSHA256.HashData(_secret, data));
    }
}
