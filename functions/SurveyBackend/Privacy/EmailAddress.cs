using System.Globalization;
using System.Text;

namespace SurveyBackend.Privacy;

/// <summary>
/// An email address's rules and forms, in one place (issue #26 §4): what is refused (<see cref="Check"/>), the one
/// normal form that is sealed, kept and mailed (<see cref="Normalise"/>), and the case-folded form every keyed hash
/// of an address is made from (<see cref="MatchKey"/>). If these disagreed, an unsubscribe could miss its recipient.
/// </summary>
public static class EmailAddress
{
    /// <summary>
    /// The address as it is sealed, kept and mailed: trimmed, Unicode NFC, and an internationalised domain in punycode
    /// (<c>jö@müller.de</c> → <c>jö@xn--mller-kva.de</c>), with its letter case as given, since mail goes to the
    /// address as given. A domain that does not map (only in data older than these rules) is kept as it is.
    /// </summary>
    public static string? Normalise(string? email)
    {
        if (string.IsNullOrWhiteSpace(email)) return null;
        var composed = email.Trim().Normalize(NormalizationForm.FormC);
        var at = composed.LastIndexOf('@');
        if (at < 0) return composed;
        string domain;
        try
        {
            domain = new IdnMapping { UseStd3AsciiRules = true }.GetAscii(composed[(at + 1)..]);
        }
        catch (ArgumentException)
        {
            domain = composed[(at + 1)..];
        }
        return composed[..(at + 1)] + domain;
    }

    /// <summary>
    /// What keyed hashes and the suppression list are made from: the normal form with its whole case folded, so
    /// <c>Jo@Example.org</c> and <c>jo@example.org</c> are one recipient and one unsubscribe. For an address of ASCII
    /// letters it is exactly what <see cref="LegacyMatchKey"/> gave, so hashes stored before it still match.
    /// </summary>
    public static string? MatchKey(string? email) => Normalise(email)?.ToLowerInvariant();

    /// <summary>The form hashes were made from before Unicode normalisation (trimmed, lower-cased): matched too, so earlier unsubscribes hold.</summary>
    public static string? LegacyMatchKey(string? email) => string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToLowerInvariant();

    /// <summary>
    /// The longest address accepted, in octets of its normal form (the domain in ASCII): 254, the longest path RFC 5321
    /// allows (256) less its angle brackets. Every sealed address is padded to this size (<see cref="RecipientSeal"/>),
    /// so its length says nothing.
    /// </summary>
    public const int MaxLength = 254;
    private const int MaxLocalOctets = 64;
    private const int MaxLabelLength = 63;

    /// <summary>
    /// What is wrong with an address as given (trimmed), or <see cref="EmailFault.None"/> (the rules: docs/intake.md).
    /// The mailer is the real test; this keeps out what cannot be an address or would show as something it is not.
    /// </summary>
    public static EmailFault Check(string email)
    {
        if (email.EnumerateRunes().Any(IsHidden)) return EmailFault.HiddenCharacter;
        var composed = email.Normalize(NormalizationForm.FormC);
        if (Encoding.UTF8.GetByteCount(composed) > MaxLength) return EmailFault.TooLong;
        var at = composed.IndexOf('@', StringComparison.Ordinal);
        if (at < 1 || at != composed.LastIndexOf('@')) return EmailFault.Invalid;
        var local = composed[..at];
        if (Encoding.UTF8.GetByteCount(local) > MaxLocalOctets || local.IndexOfAny(NeedQuoting) >= 0) return EmailFault.Invalid;
        if (AsciiDomain(composed[(at + 1)..]) is not { } domain) return EmailFault.Invalid;
        return Encoding.UTF8.GetByteCount(local) + 1 + domain.Length > MaxLength ? EmailFault.TooLong : EmailFault.None;
    }

    // Characters a local part can hold only inside quotes, which no respondent needs.
    private static readonly char[] NeedQuoting = ['<', '>', '(', ')', ',', ';', ':', '\\', '"', '[', ']'];

    /// <summary>Spaces and every character that shows as nothing, or as something else: controls, format characters
    /// (bidirectional marks and overrides, zero-width joiners and spaces, the BOM), separators, private use, unassigned,
    /// and the replacement character a broken surrogate becomes.</summary>
    private static bool IsHidden(Rune rune) =>
        rune == Rune.ReplacementChar || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate;

    /// <summary>The domain in ASCII (an internationalised one as punycode), or null if it is not a host name with a real top-level domain.</summary>
    private static string? AsciiDomain(string domain)
    {
        string ascii;
        try
        {
            ascii = new IdnMapping { UseStd3AsciiRules = true }.GetAscii(domain);
        }
        catch (ArgumentException)
        {
            return null;
        }
        var labels = ascii.Split('.');
        if (labels.Length < 2 || labels.Any(l => l.Length is 0 or > MaxLabelLength || l.StartsWith('-') || l.EndsWith('-'))) return null;
        var top = labels[^1];
        return top.Length >= 2 && (top.All(char.IsAsciiLetter) || top.StartsWith("xn--", StringComparison.OrdinalIgnoreCase)) ? ascii : null;
    }
}

public enum EmailFault
{
    None,
    Invalid,
    TooLong,
    /// <summary>A space, or a character that shows as nothing or as something else (control, bidirectional, zero-width).</summary>
    HiddenCharacter,
}
