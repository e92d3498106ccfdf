using System.Security.Cryptography;
using System.Text.Json;

namespace SurveyBackend.ProofOfWork;

public enum ProofFault
{
    /// <summary>No <c>proof</c> in the body.</summary>
    Missing,
    /// <summary>Not a proof, not our signature, or not a solution of its challenge.</summary>
    Invalid,
    /// <summary>Genuine and solved, but past its challenge's expiry.</summary>
    Expired,
    /// <summary>Its challenge was already used for another submission.</summary>
    Used,
}

/// <summary>A proof that passed every check but the "used before" one, which needs storage (<see cref="ProofGate"/>).</summary>
public sealed record VerifiedProof(string ChallengeId, DateTimeOffset ExpiresAt);

/// <summary>
/// Checks a proof as the altcha widget sends it: the challenge's signature first, so nothing after it is an attacker's
/// word; deriving the key again comes last, so only a genuine solution costs a derivation. CPU only, never a storage call.
/// The format and the steps: docs/intake.md.
/// </summary>
public sealed class ProofVerifier(ProofSecrets secrets, TimeProvider clock)
{
    private const int MaxPayloadChars = 4096;

    public (VerifiedProof? Proof, ProofFault? Fault) Check(string? payload)
    {
        if (string.IsNullOrEmpty(payload)) return (null, ProofFault.Missing);
        if (payload.Length > MaxPayloadChars || Read(payload) is not { } read) return (null, ProofFault.Invalid);
        var (parameters, signature, counter, derivedKey) = read;

        var expected = ChallengeIssuer.Sign(secrets, parameters);
        if (!CryptographicOperations.FixedTimeEquals(Ascii(signature), Ascii(expected))) return (null, ProofFault.Invalid);
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(parameters.ExpiresAt);
        if (clock.GetUtcNow() > expiresAt) return (null, ProofFault.Expired);
        if (!Solves(parameters, counter, derivedKey)) return (null, ProofFault.Invalid);
        return (new VerifiedProof(parameters.Nonce, expiresAt), null);
    }

    private bool Solves(ChallengeParameters parameters, uint counter, string derivedKey)
    {
        if (!derivedKey.StartsWith(parameters.KeyPrefix, StringComparison.Ordinal)) return false;
        var key = Convert.FromHexString(derivedKey);
        // The key signature first: an HMAC, so a made-up key never costs us a derivation.
        if (parameters.KeySignature is { } keySignature
            && !CryptographicOperations.FixedTimeEquals(Ascii(keySignature), Ascii(Convert.ToHexStringLower(HMACSHA256.HashData(secrets.KeySignatureKey, key)))))
        {
            return false;
        }
        // Then the hash itself, from the counter: one derivation, paid only for a key that was genuinely found.
        var derived = ChallengeIssuer.DeriveKey(Convert.FromHexString(parameters.Nonce), Convert.FromHexString(parameters.Salt), counter, (int)parameters.Cost, (int)parameters.KeyLength);
        return CryptographicOperations.FixedTimeEquals(derived, key);
    }

    /// <summary>The proof's parts, or null when it is not exactly the shape we issue (unknown keys, wrong types, bad hex).</summary>
    private static (ChallengeParameters Parameters, string Signature, uint Counter, string DerivedKey)? Read(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(Convert.FromBase64String(payload));
            var root = document.RootElement;
            var challenge = root.GetProperty("challenge");
            var p = challenge.GetProperty("parameters");
            if (p.EnumerateObject().Any(property => !KnownParameters.Contains(property.Name))) return null;
            var parameters = new ChallengeParameters(
                p.GetProperty("algorithm").GetString()!, p.GetProperty("cost").GetInt64(), p.GetProperty("expiresAt").GetInt64(),
                p.GetProperty("keyLength").GetInt64(), Hex(p, "keyPrefix"), p.TryGetProperty("keySignature", out _) ? Hex(p, "keySignature") : null,
                Hex(p, "nonce"), Hex(p, "salt"));
            var solution = root.GetProperty("solution");
            if (parameters.Algorithm != ChallengeParameters.Pbkdf2Sha256 || parameters.Cost is < 1 or > 10_000_000
                || parameters.KeyLength != ChallengeIssuer.KeyLength) return null;
            return (parameters, Hex(challenge, "signature"), solution.GetProperty("counter").GetUInt32(), Hex(solution, "derivedKey"));
        }
        catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private static readonly HashSet<string> KnownParameters =
        ["algorithm", "cost", "expiresAt", "keyLength", "keyPrefix", "keySignature", "nonce", "salt"];

    /// <summary>Lower-case hex of whole bytes, as every altcha solver writes it; anything else is not ours (FormatException).</summary>
    private static string Hex(JsonElement element, string name)
    {
        var value = element.GetProperty(name).GetString();
        return value is { Length: > 0 } && value.Length % 2 == 0 && value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f')
            ? value : throw new FormatException($"{name} is not lower-case hex.");
    }

    private static byte[] Ascii(string text) => System.Text.Encoding.ASCII.GetBytes(text);
}
