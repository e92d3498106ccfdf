using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SurveyBackend.Privacy;

namespace SurveyBackend.ProofOfWork;

/// <summary>
/// The two HMAC secrets of the challenges, as the strings altcha-lib takes (<c>hmacSignatureSecret</c>,
/// <c>hmacKeySignatureSecret</c>; it keys HMAC-SHA256 with their UTF-8 bytes). Each is derived with HKDF from the app's
/// secret for this purpose only, so every instance issues and checks the same challenges and nothing else shares them.
/// </summary>
public sealed class ProofSecrets(IOptions<PrivacyOptions> options)
{
    public string Signature { get; } = Derive(options.Value.Secret, "survey-backend/altcha-signature/v1");
    public string KeySignature { get; } = Derive(options.Value.Secret, "survey-backend/altcha-key-signature/v1");

    private readonly byte[] _submissionKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(options.Value.Secret), 32,
        info: Encoding.UTF8.GetBytes("survey-backend/used-challenge/v1"));

    /// <summary>
    /// The submission a used challenge is bound to, as a keyed hash of its own purpose (not linkable to the submissions
    /// table's keys without the secret), so a retry of the same submission may show the same proof again.
    /// </summary>
    public string SubmissionKey(string surveyId, string? submissionId) => Convert.ToHexStringLower(
        HMACSHA256.HashData(_submissionKey, Encoding.UTF8.GetBytes(surveyId + "\n" + (submissionId ?? "").ToLowerInvariant())));

    internal byte[] SignatureKey => Encoding.UTF8.GetBytes(Signature);
    internal byte[] KeySignatureKey => Encoding.UTF8.GetBytes(KeySignature);

    private static string Derive(string secret, string purpose) => Convert.ToHexStringLower(
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, info: Encoding.UTF8.GetBytes(purpose)));
}
