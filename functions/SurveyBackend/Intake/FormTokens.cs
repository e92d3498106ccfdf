using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SurveyBackend.Privacy;

namespace SurveyBackend.Intake;

public enum FormTokenCheck
{
    Valid,
    /// <summary>Genuine, but older than <see cref="FormTokens.Lifetime"/>: the form comes back with a fresh one.</summary>
    Expired,
    /// <summary>Missing, malformed, altered, or made for another survey or submission.</summary>
    Invalid,
}

/// <summary>
/// The no-JavaScript form's token, an HMAC over the survey, the page's submissionId and an expiry (docs/form.md): only our
/// own page has one, so another site cannot make its visitors' browsers post the form, even in a browser that sends neither
/// Sec-Fetch-Site nor Origin. Nothing is stored: the token carries all it needs.
/// </summary>
public sealed class FormTokens(IOptions<PrivacyOptions> options, TimeProvider clock)
{
    public const string FieldName = "formToken";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    private readonly byte[] _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(options.Value.Secret), 32,
        info: Encoding.UTF8.GetBytes("survey-backend/form-token/v1"));

    public string Create(string surveyId, string submissionId)
    {
        var expires = clock.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return expires + "." + Mac(surveyId, submissionId, expires);
    }

    public FormTokenCheck Check(string? token, string surveyId, string? submissionId)
    {
        if (token is not { Length: > 0 and < 100 } || submissionId is null) return FormTokenCheck.Invalid;
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0) return FormTokenCheck.Invalid;
        var expires = token[..dot];
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return FormTokenCheck.Invalid;
        var expected = Encoding.ASCII.GetBytes(Mac(surveyId, submissionId, expires));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(token[(dot + 1)..]), expected)) return FormTokenCheck.Invalid;
        return clock.GetUtcNow().ToUnixTimeSeconds() > seconds ? FormTokenCheck.Expired : FormTokenCheck.Valid;
    }

    private string Mac(string surveyId, string submissionId, string expires)
    {
        var data = Encoding.UTF8.GetBytes(surveyId + "\n" + submissionId.ToLowerInvariant() + "\n" + expires);
        return Convert.ToBase64String(HMACSHA256.HashData(_key, data)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
