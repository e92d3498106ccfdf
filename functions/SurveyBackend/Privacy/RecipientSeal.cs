using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace SurveyBackend.Privacy;

/// <summary>
/// Seals a report address from intake until it reaches the recipients table, so storage alone never reads it
/// (docs/anonymity.md, "The seal"). Padded to <see cref="PaddedBytes"/> so its length tells nothing of the address;
/// opens under any listed secret so addresses waiting through a rotation are not lost.
/// </summary>
public sealed class RecipientSeal
{
    /// <summary>What a seal holds, padded: the longest address, after the longest language prefix (<c>cy:</c>).</summary>
    public const int PaddedBytes = EmailAddress.MaxLength + SealedRecipient.MaxLanguagePrefix;

    private const int NonceSize = 12;
    private const int TagSize = 16;
    // One key per secret, the current one first: seals are made with it, and opened with whichever made them.
    private readonly byte[][] _keys;

    public RecipientSeal(IOptions<PrivacyOptions> options)
    {
        _keys = [.. options.Value.AllSecrets().Select(secret =>
            HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, info: Encoding.UTF8.GetBytes("recipient-seal")))];
    }

    /// <summary>The address (normalised) and the respondent's language, sealed; null when the address does not normalise.</summary>
    public string? SealAddress(string surveyId, string email, string? language) =>
        EmailAddress.Normalise(email) is { } normalised ? Seal(surveyId, SealedRecipient.Join(normalised, language)) : null;

    /// <summary>The address and language in a seal; null when the seal was not made by this app for this survey.</summary>
    public (string Email, string? Language)? OpenAddress(string surveyId, string sealedText) =>
        Open(surveyId, sealedText) is { } opened ? SealedRecipient.Split(opened) : null;

    public string Seal(string surveyId, string content)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        // Zero bytes after the content up to the padded size (an address never holds a control character); content
        // over it (only an address of more than 254 octets) fills whole blocks of that size.
        var plain = new byte[Math.Max(1, (bytes.Length + PaddedBytes - 1) / PaddedBytes) * PaddedBytes];
        bytes.CopyTo(plain, 0);
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_keys[0], TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), Encoding.UTF8.GetBytes(surveyId));
        return Convert.ToBase64String(sealedBytes);
    }

    /// <summary>What the seal holds, without its padding; null when it was not sealed by this app for this survey.</summary>
    public string? Open(string surveyId, string sealedText)
    {
        byte[] data;
        try
        {
            data = Convert.FromBase64String(sealedText);
        }
        catch (FormatException)
        {
            return null;
        }
        if (data.Length < NonceSize + TagSize) return null;
        var plainLength = data.Length - NonceSize - TagSize;
        var plain = new byte[plainLength];
        // Under any secret, current or earlier (a seal made before a rotation): the tag tells which, a wrong key fails it.
        foreach (var key in _keys)
        {
            try
            {
                using var aes = new AesGcm(key, TagSize);
                aes.Decrypt(data.AsSpan(0, NonceSize), data.AsSpan(NonceSize, plainLength), data.AsSpan(NonceSize + plainLength), plain, Encoding.UTF8.GetBytes(surveyId));
            }
            catch (AuthenticationTagMismatchException)
            {
                continue;
            }
            // Seals made before padding hold the bare content, with no zero byte to trim.
            return Encoding.UTF8.GetString(plain.AsSpan().TrimEnd((byte)0));
        }
        return null;
    }
}

/// <summary>
/// What a seal holds: the address, prefixed with the language when one was given (<c>cy:jo@example.org</c>). An
/// address never contains ':' (<see cref="Intake.SubmissionRules.IsEmailAddress"/>), and seals made before languages
/// hold the bare address, which reads as no language given.
/// </summary>
public static class SealedRecipient
{
    /// <summary>Room for a language prefix: a language tag of up to seven characters and its colon.</summary>
    public const int MaxLanguagePrefix = 8;

    public static string Join(string email, string? language) => language is null ? email : language + ":" + email;

    public static (string Email, string? Language) Split(string opened)
    {
        var colon = opened.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && Languages.UiText.IsSupported(opened[..colon]) ? (opened[(colon + 1)..], opened[..colon]) : (opened, null);
    }
}
