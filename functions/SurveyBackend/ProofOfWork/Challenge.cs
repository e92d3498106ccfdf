using System.Globalization;
using System.Text;

namespace SurveyBackend.ProofOfWork;

/// <summary>
/// A challenge's parameters in the format <c>altcha-lib</c> 2.8.0 makes by default (its v2 <c>createChallenge</c>) and
/// the <c>altcha</c> 3.2.2 widget solves: PBKDF2/SHA-256 keys of 32 bytes, a 4-byte big-endian counter after the nonce.
/// <see cref="KeyPrefix"/> is the first 16 bytes of the key for the secret counter, and <see cref="KeySignature"/> an HMAC
/// of that whole key, so only the one counter solves it and a solution is checked without deriving anything.
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
