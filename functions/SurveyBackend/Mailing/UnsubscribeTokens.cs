using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SurveyBackend.Privacy;

namespace SurveyBackend.Mailing;

/// <summary>
/// Unsubscribe tokens: the address's keyed hash and its MAC (format: docs/reports-and-mailing.md), so a token names no
/// address. A token never expires: an old email's link must keep working, after a rotation too (a token is made under
/// the current secret and read under any).
/// </summary>
public sealed class UnsubscribeTokens
{
    private const int KeyBytes = 32;
    private readonly PrivacyKeys _keys;
    private readonly byte[][] _macKeys;

    public UnsubscribeTokens(IOptions<PrivacyOptions> options, PrivacyKeys keys)
    {
        _keys = keys;
        _macKeys = [.. options.Value.AllSecrets().Select(secret => HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), KeyBytes,
            info: Encoding.UTF8.GetBytes("survey-backend/unsubscribe-token/v1")))];
    }

    /// <summary>The suppression-list key of an address under the current secret (hex): what a new token carries.</summary>
    public string AddressKey(string email) => _keys.ForUnsubscribe(email);

    /// <summary>Whether an address key (from a token, or on the suppression list) is this address's, under any secret and either normal form.</summary>
    public bool IsAddressKeyOf(string email, string addressKey) => _keys.UnsubscribeKeys(email).Contains(addressKey, StringComparer.Ordinal);

    /// <summary>Whether the suppression list holds the address under any of its keys.</summary>
    public bool IsSuppressed(string email, IReadOnlySet<string> suppressed) => _keys.UnsubscribeKeys(email).Any(suppressed.Contains);

    public string Create(string email)
    {
        var payload = Convert.FromHexString(AddressKey(email));
        return Base64Url(payload) + "." + Base64Url(HMACSHA256.HashData(_macKeys[0], payload));
    }

    /// <summary>The address key the token was made for; false for anything forged, altered or malformed.</summary>
    public bool TryRead(string? token, out string addressKey)
    {
        addressKey = "";
        if (token is not { Length: > 0 and < 200 }) return false;
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot != token.LastIndexOf('.')) return false;
        if (!TryDecode(token[..dot], out var payload) || payload.Length != KeyBytes) return false;
        if (!TryDecode(token[(dot + 1)..], out var mac) || mac.Length != KeyBytes) return false;

        // Under any secret, current or earlier: mail sent before a rotation carries tokens of the secret of its day.
        if (!_macKeys.Any(key => CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(key, payload)))) return false;
        addressKey = Convert.ToHexStringLower(payload);
        return true;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        // Only the canonical encoding is accepted, so a token cannot be altered into another that still verifies.
        if (text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))) return false;
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded = padded.PadRight(padded.Length + (4 - padded.Length % 4) % 4, '=');
        try
        {
            bytes = Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return false;
        }
        return Base64Url(bytes) == text;
    }
}
