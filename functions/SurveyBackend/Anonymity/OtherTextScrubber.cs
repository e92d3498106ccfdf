using System.Text.RegularExpressions;

namespace SurveyBackend.Anonymity;

/// <summary>
/// Removes contact details from "Other" free text before it is kept: email addresses, URLs (with or without a
/// scheme), phone numbers (UK and international formats) and UK postcodes each become <see cref="Removed"/>.
/// Names cannot be recognised reliably, which is one reason the text is capped at 200 characters.
/// </summary>
public sealed partial class OtherTextScrubber
{
    public const string Removed = "[removed]";

    public string Scrub(string text)
    {
        // Order matters: an email contains what looks like a domain, a URL may contain digits that look like a phone.
        var scrubbed = Email().Replace(text, Removed);
        scrubbed = Url().Replace(scrubbed, Removed);
        scrubbed = Postcode().Replace(scrubbed, Removed);
        scrubbed = Phone().Replace(scrubbed, Removed);
        return scrubbed;
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+\s*(?:@|\(at\)|\[at\])\s*[A-Za-z0-9\-]+(?:\s*(?:\.|\(dot\)|\[dot\])\s*[A-Za-z0-9\-]+)+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    [GeneratedRegex(@"(?:\b(?:https?|ftp)://|\bwww\.)\S+|\b[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.(?:com|org|net|gov|uk|io|co|info|biz|me|ly|app|dev)(?:/\S*)?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Url();

    // Full UK postcodes (SW1A 1AA, M1 1AE, B33 8TH, CR2 6XH, DN55 1PT, EC1A 1BB), spaced or not.
    [GeneratedRegex(@"\b[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Postcode();

    // A run of at least 9 digits with the separators people type (spaces, dots, dashes, brackets, a leading +).
    [GeneratedRegex(@"(?<![\w])\+?(?:\(?\d[\d\s().\-]{7,}\d)(?![\w])", RegexOptions.CultureInvariant)]
    private static partial Regex Phone();
}
