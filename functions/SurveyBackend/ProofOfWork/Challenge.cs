using System.Globalization;
using System.Text;

namespace SurveyBackend.ProofOfWork;

/// <summary>
/// A challenge in the format altcha-lib 2.8.0 makes by default and the altcha 3.2.2 widget solves (docs/intake.md). The key
/// prefix and key signature let only the one counter solve it, and a solution be checked without deriving anything.
/// </summary>
public sealed record ChallengeParameters(
    string Algorithm, long Cost, long ExpiresAt, long KeyLength, string KeyPrefix, string? KeySignature, string Nonce, string Salt)
{
    public const string Pbkdf2Sha256 = "PBKDF2/SHA-256";

    /// <summary>
    /// The exact text altcha-lib signs: <c>JSON.stringify</c> of the parameters with their keys sorted. Our values are
    /// integers, hex and the algorithm's name, which JSON.stringify writes without escapes, as here.
    /// </summary>
    public string CanonicalJson()
    {
        var b = new StringBuilder(320).Append('{');
        b.Append("\"algorithm\":\"").Append(Algorithm).Append("\",");
        b.Append("\"cost\":").Append(Cost.ToString(CultureInfo.InvariantCulture)).Append(',');
        b.Append("\"expiresAt\":").Append(ExpiresAt.ToString(CultureInfo.InvariantCulture)).Append(',');
        b.Append("\"keyLength\":").Append(KeyLength.ToString(CultureInfo.InvariantCulture)).Append(',');
        b.Append("\"keyPrefix\":\"").Append(KeyPrefix).Append("\",");
        if (KeySignature is not null) b.Append("\"keySignature\":\"").Append(KeySignature).Append("\",");
        b.Append("\"nonce\":\"").Append(Nonce).Append("\",");
        b.Append("\"salt\":\"").Append(Salt).Append('"');
        return b.Append('}').ToString();
    }
}

/// <summary>A signed challenge, as <c>GET /api/challenge</c> answers it and as the solver sends it back inside the proof.</summary>
public sealed record Challenge(ChallengeParameters Parameters, string Signature)
{
    public string ToJson() => "{\"parameters\":" + Parameters.CanonicalJson() + ",\"signature\":\"" + Signature + "\"}";
}
