using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SurveyBackend.ProofOfWork;

namespace SurveyBackend.ProofOfWork;

/// <summary>
/// Issues challenges in altcha-lib's "deterministic" mode: the server picks the counter (uniformly between half the
/// maximum number and the maximum, so every solution costs at least half), derives its key once, and publishes only the
/// key's first half and an HMAC of the whole key. A solver tries counters from 0 up until a key starts with that prefix.
/// </summary>
public sealed class ChallengeIssuer(ProofSecrets secrets, IOptions<ProofOfWorkOptions> options, TimeProvider clock)
{
    /// <summary>How long a challenge may be solved and used; the form's script fetches a fresh one when it runs out.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    public const int KeyLength = 32;

    public Challenge Issue()
    {
        var o = options.Value;
        var nonce = RandomNumberGenerator.GetBytes(16);
        var salt = RandomNumberGenerator.GetBytes(16);
        var counter = (uint)RandomNumberGenerator.GetInt32(o.ProofOfWorkMaxNumber / 2, o.ProofOfWorkMaxNumber + 1);
        var key = DeriveKey(nonce, salt, counter, o.ProofOfWorkCost);
        var parameters = new ChallengeParameters(
            ChallengeParameters.Pbkdf2Sha256, o.ProofOfWorkCost, clock.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds(), KeyLength,
            KeyPrefix: Convert.ToHexStringLower(key.AsSpan(0, KeyLength / 2)),
            KeySignature: Convert.ToHexStringLower(HMACSHA256.HashData(secrets.KeySignatureKey, key)),
            Nonce: Convert.ToHexStringLower(nonce), Salt: Convert.ToHexStringLower(salt));
        return new Challenge(parameters, Sign(secrets, parameters));
    }

    /// <summary>The signature altcha-lib checks: hex HMAC-SHA256 of the canonical parameters.</summary>
    public static string Sign(ProofSecrets secrets, ChallengeParameters parameters) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(secrets.SignatureKey, Encoding.UTF8.GetBytes(parameters.CanonicalJson())));

    /// <summary>altcha's PBKDF2 key: password = nonce then the counter as 4 big-endian bytes; the challenge's salt; SHA-256.</summary>
    public static byte[] DeriveKey(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> salt, uint counter, int cost, int keyLength = KeyLength)
    {
        Span<byte> password = stackalloc byte[nonce.Length + 4];
        nonce.CopyTo(password);
        BinaryPrimitives.WriteUInt32BigEndian(password[nonce.Length..], counter);
        return Rfc2898DeriveBytes.Pbkdf2(password, salt, cost, HashAlgorithmName.SHA256, keyLength);
    }
}
