using System.Text;
using MimeKit;
using SurveyBackend.Mailing;

namespace SurveyBackend.Tests.Unit.Mailing;

/// <summary>The outbox writes its .eml files itself; MimeKit (here only, not in the app) must read back exactly what was meant.</summary>
public sealed class EmlMessageTests
{
    private static readonly DateTimeOffset Sent = new(2026, 3, 1, 9, 30, 15, TimeSpan.Zero);
    private const string Link = "https://reports.example.org/api/unsubscribe?token=abc.DEF-123_456";

    private static EmlMessage Message(string subject = "Where councils are", string? fromName = "Survey team", string to = "ann@example.gov.uk",
        string text = "Findings.", string html = "<p>Findings.</p>") =>
        new("reports@example.org", fromName, to, subject, text, html, Link);

    private static (MimeMessage Parsed, string Raw) WriteAndParse(EmlMessage message)
    {
        var raw = message.Write(Sent, Guid.Parse("0b9f1c2e-5d7a-4f8e-9a61-3c2b7e4d9f10"));
        return (Parse(Encoding.UTF8.GetBytes(raw)), raw);
    }

    private static MimeMessage Parse(byte[] eml)
    {
        using var stream = new MemoryStream(eml);
        return MimeMessage.Load(stream);
    }

    /// <summary>The same message as the outbox wrote it with MimeKit before, read back: what a reader saw then.</summary>
    private static MimeMessage AsMimeKitWroteIt(EmlMessage message)
    {
        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(message.FromName ?? "", message.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        mime.Body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody }.ToMessageBody();
        using var stream = new MemoryStream();
        mime.WriteTo(stream);
        return Parse(stream.ToArray());
    }

    [Fact]
    public void Plain_Message_ParsesToItsFields_AsMultipartAlternative()
    {
        var (parsed, raw) = WriteAndParse(Message());

        Assert.Equal("Where councils are", parsed.Subject);
        Assert.Equal("Survey team", parsed.From.Mailboxes.Single().Name);
        Assert.Equal("reports@example.org", parsed.From.Mailboxes.Single().Address);
        Assert.Equal("ann@example.gov.uk", parsed.To.Mailboxes.Single().Address);
        Assert.Equal(Sent, parsed.Date);
        Assert.Equal("0b9f1c2e5d7a4f8e9a613c2b7e4d9f10@example.org", parsed.MessageId);
        Assert.Equal($"<{Link}>", parsed.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", parsed.Headers["List-Unsubscribe-Post"]);
        var alternative = Assert.IsType<MultipartAlternative>(parsed.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType));
        Assert.Equal("Findings.", parsed.TextBody);
        Assert.Equal("<p>Findings.</p>", parsed.HtmlBody);
        AssertWellFormed(raw);
    }

    [Theory]
    [InlineData("Ble mae cynghorau: cyfryngau cymdeithasol ŵ ŷ â")]
    [InlineData("A subject long enough to be folded over more than one line of the header, since lines should stay under seventy-eight characters")]
    [InlineData("Emoji 📊 and accents café, naïve, Łódź — spread over several encoded words so that no character is cut in two")]
    [InlineData("Looks like =?utf-8?B?SGk=?= an encoded word")]
    [InlineData("")]
    public void Subject_ReadsBackExactly(string subject)
    {
        var (parsed, raw) = WriteAndParse(Message(subject: subject));

        Assert.Equal(subject, parsed.Subject);
        AssertWellFormed(raw);
    }

    [Fact]
    public void Subject_WithOuterSpaces_ReadsBackAsWhenMimeKitWroteIt()
    {
        var message = Message(subject: "  leading and  doubled spaces ");

        var (parsed, raw) = WriteAndParse(message);

        // Readers trim an unstructured header: MimeKit's own message reads back the same.
        Assert.Equal("leading and  doubled spaces", parsed.Subject);
        Assert.Equal(AsMimeKitWroteIt(message).Subject, parsed.Subject);
        AssertWellFormed(raw);
    }

    [Fact]
    public void Subject_WithALineBreak_CannotAddAHeader()
    {
        var message = Message(subject: "Report\r\nBcc: everyone@example.org");

        var (parsed, raw) = WriteAndParse(message);

        Assert.Empty(parsed.Bcc);
        Assert.Null(parsed.Headers["Bcc"]);
        Assert.Equal(AsMimeKitWroteIt(message).Subject, parsed.Subject);
        Assert.Contains("Bcc: everyone@example.org", parsed.Subject, StringComparison.Ordinal);
        AssertWellFormed(raw);
    }

    [Theory]
    [InlineData("Tîm yr arolwg")]
    [InlineData("Smith, Jo \"the reports\" \\ team")]
    [InlineData("Survey team (reports)")]
    [InlineData("=?utf-8?Q?x?=")]
    public void SenderName_ReadsBackExactly(string name)
    {
        var (parsed, raw) = WriteAndParse(Message(fromName: name));

        var from = parsed.From.Mailboxes.Single();
        Assert.Equal(name, from.Name);
        Assert.Equal("reports@example.org", from.Address);
        AssertWellFormed(raw);
    }

    [Fact]
    public void NoSenderName_WritesTheAddressAlone()
    {
        var (parsed, _) = WriteAndParse(Message(fromName: null));

        Assert.True(string.IsNullOrEmpty(parsed.From.Mailboxes.Single().Name));
        Assert.Equal("reports@example.org", parsed.From.Mailboxes.Single().Address);
    }

    [Fact]
    public void Bodies_ReadBackExactly_WhateverTheirLinesHold()
    {
        var text = string.Join("\r\n",
            "Ble mae cynghorau arni: 72% yn defnyddio X — ŵ ŷ €, and 📊.",
            new string('x', 200),
            "a=b and =3D and == stay as they were",
            "trailing space ",
            "trailing tab\t",
            "--=_0b9f1c2e5d7a4f8e9a613c2b7e4d9f10",
            "",
            ".",
            new string('é', 60) + " " + new string('=', 40));
        var html = "<p>" + new string('w', 300) + "</p>\n<p>ŵ=é</p>\r<p>end</p>";

        var message = Message(text: text, html: html);

        var (parsed, raw) = WriteAndParse(message);

        // MimeKit reads every line break as \n, from its own messages as from these; a lone CR is sent as a line break.
        Assert.Equal(text.Replace("\r\n", "\n"), parsed.TextBody);
        Assert.Equal(AsMimeKitWroteIt(message).TextBody, parsed.TextBody);
        Assert.Equal(html.Replace("\r", "\n"), parsed.HtmlBody);
        AssertWellFormed(raw);
    }

    [Fact]
    public void InternationalAddresses_AreWritten_TheDomainAsIdna()
    {
        var (parsed, raw) = WriteAndParse(Message(to: "jo@bücher.example"));

        Assert.Contains("To: jo@xn--bcher-kva.example\r\n", raw, StringComparison.Ordinal);
        Assert.Equal("jo@bücher.example", MailboxAddress.DecodeAddrspec(parsed.To.Mailboxes.Single().Address));
        Assert.Equal(AsMimeKitWroteIt(Message(to: "jo@bücher.example")).To.Mailboxes.Single().Address, parsed.To.Mailboxes.Single().Address);
    }

    [Fact]
    public void InternationalLocalPart_IsWrittenAsUtf8_AndReadsBackAsWhenMimeKitWroteIt()
    {
        var message = Message(to: "siân@example.org");

        var (parsed, raw) = WriteAndParse(message);

        Assert.Contains("To: siân@example.org\r\n", raw, StringComparison.Ordinal);
        Assert.Equal("siân@example.org", parsed.To.Mailboxes.Single().Address);
        Assert.Equal(AsMimeKitWroteIt(message).To.Mailboxes.Single().Address, parsed.To.Mailboxes.Single().Address);
    }

    [Theory]
    [InlineData("ann@example.gov.uk", "ann@example.gov.uk")]
    [InlineData("first.last+tag@example.org", "first.last+tag@example.org")]
    [InlineData("no-at-sign", null)]
    [InlineData("@example.org", null)]
    [InlineData("ann@", null)]
    [InlineData("ann@example.org\r\nBcc: x@example.org", null)]
    [InlineData("Ann <ann@example.org>", null)]
    [InlineData("ann smith@example.org", null)]
    [InlineData(".ann@example.org", null)]
    [InlineData("ann@example..org", null)]
    [InlineData("ann,bob@example.org", null)]
    public void AddressSpec_TakesOnlyPlainAddresses(string address, string? expected) =>
        Assert.Equal(expected, EmlMessage.AddressSpec(address));

    [Fact]
    public void ToString_NamesNoAddress() =>
        Assert.DoesNotContain("@", Message().ToString(), StringComparison.Ordinal);

    [Fact]
    public void Write_RefusesAnAddressItCannotWrite()
    {
        Assert.Throws<ArgumentException>(() => Message(to: "Ann <ann@example.org>").Write(Sent, Guid.NewGuid()));
    }

    /// <summary>CRLF only, ASCII only, no header line over 78 (a link's up to 998) nor body line over 76 (quoted-printable's limit).</summary>
    private static void AssertWellFormed(string raw)
    {
        Assert.DoesNotContain('\n', raw.Replace("\r\n", "", StringComparison.Ordinal));
        Assert.DoesNotContain('\r', raw.Replace("\r\n", "", StringComparison.Ordinal));
        Assert.All(raw, c => Assert.True(c < 128, $"non-ASCII U+{(int)c:X4} in the message"));
        var (headers, bodies) = (raw[..raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)], raw[raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)..]);
        // A link is not folded: its line may run to RFC 5322's hard limit.
        Assert.All(headers.Split("\r\n"), l => Assert.True(l.Length <= (l.StartsWith("List-Unsubscribe: <", StringComparison.Ordinal) ? 998 : 78), $"header line of {l.Length}: {l}"));
        Assert.All(bodies.Split("\r\n"), l => Assert.True(l.Length <= 76, $"body line of {l.Length}: {l}"));
        Assert.EndsWith("--\r\n", raw, StringComparison.Ordinal);
    }
}
