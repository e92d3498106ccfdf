using System.Globalization;
using System.Text;

namespace SurveyBackend.Mailing;

/// <summary>
/// One outbox email as an RFC 5322 message: text and HTML as multipart/alternative, UTF-8 in quoted-printable,
/// non-ASCII headers as RFC 2047 encoded words, CRLF. Written here so that no MIME library ships to Azure for the
/// local provider alone; the tests parse what it writes with MimeKit.
/// </summary>
public sealed record EmlMessage(string From, string? FromName, string To, string Subject, string TextBody, string HtmlBody, string UnsubscribeUrl)
{
    private const int FoldAt = 78;
    private const int QuotedPrintableLine = 76;
    // 39 bytes are 52 base64 characters: "Subject: =?utf-8?B?…?=" stays within 78.
    private const int EncodedWordBytes = 39;

    /// <summary>
    /// The address as a header writes it, or null if it is not a plain <c>local@domain</c> (the outbox skips it).
    /// A non-ASCII domain is written as IDNA; a non-ASCII local part as UTF-8 (RFC 6532), as MimeKit did.
    /// </summary>
    public static string? AddressSpec(string address)
    {
        var at = address.LastIndexOf('@');
        if (at < 1 || at == address.Length - 1) return null;
        var local = address[..at];
        if (!IsDotAtom(local)) return null;
        string domain;
        try
        {
            domain = new IdnMapping().GetAscii(address[(at + 1)..]);
        }
        catch (ArgumentException)
        {
            return null;
        }
        return domain.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_') && IsDotAtom(domain) ? $"{local}@{domain}" : null;
    }

    // A record would print every member: never an address where a log might show it.
    public override string ToString() => $"{nameof(EmlMessage)} ({Subject})";

    /// <summary>The whole message, ready to be written as a file.</summary>
    public string Write(DateTimeOffset date, Guid id)
    {
        var to = AddressSpec(To) ?? throw new ArgumentException("The recipient is not a plain address.", nameof(To));
        var from = AddressSpec(From) ?? throw new ArgumentException("The sender is not a plain address.", nameof(From));
        if (UnsubscribeUrl.Any(c => c is < '!' or > '~')) throw new ArgumentException("The unsubscribe link must be a plain URL.", nameof(UnsubscribeUrl));
        var boundary = $"=_{id:N}";

        var eml = new StringBuilder();
        Header(eml, "From", string.IsNullOrEmpty(FromName) ? from : $"{Phrase(FromName)} <{from}>");
        Header(eml, "Date", date.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture));
        Header(eml, "Subject", Unstructured("Subject", Subject));
        Header(eml, "Message-ID", $"<{id:N}@{from[(from.LastIndexOf('@') + 1)..]}>");
        Header(eml, "To", to);
        Header(eml, "MIME-Version", "1.0");
        Header(eml, "List-Unsubscribe", $"<{UnsubscribeUrl}>");
        Header(eml, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        Header(eml, "Content-Type", $"multipart/alternative;\r\n boundary=\"{boundary}\"");
        eml.Append("\r\n");
        Part(eml, boundary, "text/plain", TextBody);
        Part(eml, boundary, "text/html", HtmlBody);
        eml.Append("--").Append(boundary).Append("--\r\n");
        return eml.ToString();
    }

    private static bool IsDotAtom(string text) =>
        text.Length > 0 && text[0] != '.' && text[^1] != '.' && !text.Contains("..", StringComparison.Ordinal)
        && text.All(c => c > '~' ? !char.IsControl(c) && !char.IsWhiteSpace(c) : c > ' ' && !"()<>[]:;@\\,\"".Contains(c));

    private static void Header(StringBuilder eml, string name, string value) => eml.Append(name).Append(": ").Append(value).Append("\r\n");

    private static void Part(StringBuilder eml, string boundary, string type, string body) =>
        eml.Append("--").Append(boundary).Append("\r\n")
            .Append("Content-Type: ").Append(type).Append("; charset=utf-8\r\n")
            .Append("Content-Transfer-Encoding: quoted-printable\r\n\r\n")
            .Append(QuotedPrintable(body)).Append("\r\n");

    // "=?" would be read as the start of an encoded word, so text holding it is encoded too.
    private static bool IsPlainAscii(string text) => text.All(c => c is >= ' ' and <= '~') && !text.Contains("=?", StringComparison.Ordinal);

    /// <summary>A display name: as it is if it is only words, quoted if it has specials, encoded words otherwise.</summary>
    private static string Phrase(string name)
    {
        if (!IsPlainAscii(name)) return EncodedWords(name);
        if (name.All(c => char.IsAsciiLetterOrDigit(c) || " !#$%&'*+-/=?^_`{|}~".Contains(c)) && name.Trim() == name) return name;
        return "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>An unstructured value (the subject): folded at spaces when plain ASCII, encoded words otherwise.</summary>
    private static string Unstructured(string name, string value)
    {
        var words = value.Split(' ');
        if (!IsPlainAscii(value) || value.Trim() != value || value.Contains("  ", StringComparison.Ordinal) || words.Any(w => w.Length > FoldAt - 1 - name.Length - 2))
        {
            return EncodedWords(value);
        }
        var folded = new StringBuilder();
        var lineLength = name.Length + 2;
        foreach (var word in words)
        {
            if (folded.Length > 0)
            {
                if (lineLength + 1 + word.Length > FoldAt)
                {
                    folded.Append("\r\n");
                    lineLength = 0;
                }
                folded.Append(' ');
                lineLength++;
            }
            folded.Append(word);
            lineLength += word.Length;
        }
        return folded.ToString();
    }

    /// <summary>RFC 2047 B-encoded UTF-8, split between characters, one encoded word to a folded line.</summary>
    private static string EncodedWords(string text)
    {
        var words = new List<string>();
        var chunk = new List<byte>();
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            var length = rune.EncodeToUtf8(utf8);
            if (chunk.Count + length > EncodedWordBytes)
            {
                words.Add($"=?utf-8?B?{Convert.ToBase64String([.. chunk])}?=");
                chunk.Clear();
            }
            chunk.AddRange(utf8[..length]);
        }
        words.Add($"=?utf-8?B?{Convert.ToBase64String([.. chunk])}?=");
        return string.Join("\r\n ", words);
    }

    /// <summary>
    /// RFC 2045 quoted-printable of the UTF-8 text, every line break a CRLF. Lines stay within 76 characters with soft
    /// breaks; a space or tab at a line's end is encoded so that transport cannot strip it.
    /// </summary>
    private static string QuotedPrintable(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var encoded = new StringBuilder();
        foreach (var line in lines)
        {
            if (encoded.Length > 0) encoded.Append("\r\n");
            var bytes = Encoding.UTF8.GetBytes(line);
            var lineLength = 0;
            for (var i = 0; i < bytes.Length; i++)
            {
                var b = bytes[i];
                var last = i == bytes.Length - 1;
                var literal = (b is >= 33 and <= 126 && b != '=') || (b is (byte)' ' or (byte)'\t' && !last);
                var piece = literal ? ((char)b).ToString() : $"={b:X2}";
                // Room for the soft break's '=' unless this is the line's last piece.
                if (lineLength + piece.Length > (last ? QuotedPrintableLine : QuotedPrintableLine - 1))
                {
                    encoded.Append("=\r\n");
                    lineLength = 0;
                }
                encoded.Append(piece);
                lineLength += piece.Length;
            }
        }
        return encoded.ToString();
    }
}
