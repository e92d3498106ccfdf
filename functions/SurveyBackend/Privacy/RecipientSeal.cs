using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace SurveyBackend.Privacy;

/// <summary>
/// Seals an address while it waits in its survey's pool (PendingRecipientStore): AES-256-GCM under a key derived from the app's
/// secret (HKDF-SHA256, purpose "recipient-seal"), bound to the survey id. Without the secret the table holds
/// nothing readable; a tampered or foreign row fails to open.
/// </summary>
public sealed class RecipientSeal
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public RecipientSeal(IOptions<PrivacyOptions> options)
    {
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(options.Value.Secret), 32, info: Encoding.UTF8.GetBytes("recipient-seal"));
    }

    public string Seal(string surveyId, string email)
    {
        var plain = Encoding.UTF8.GetBytes(email);
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), Encoding.UTF8.GetBytes(surveyId));
        return Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The address, or null when the blob was not sealed by this app for this survey.</summary>
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
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(data.AsSpan(0, NonceSize), data.AsSpan(NonceSize, plainLength), data.AsSpan(NonceSize + plainLength), plain, Encoding.UTF8.GetBytes(surveyId));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        return Encoding.UTF8.GetString(plain);
    }
}
