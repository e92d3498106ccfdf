using Microsoft.Extensions.Options;
using SurveyBackend.Reports;

namespace SurveyBackend.Mailing;

/// <summary>
/// What a report's email says: one content for the whole mailing (the report as email, linking its page), and each
/// recipient's own parts (their unsubscribe link; whether their address is on the suppression list).
/// </summary>
public sealed class ReportEmailComposer(ReportRenderer renderer, ReportPublisher publisher, UnsubscribeTokens tokens, IOptions<ReportOptions> reportOptions)
{
    public EmailContent Content(Report report) => renderer.RenderEmail(report, publisher.PageUrl(report.Id));

    /// <summary>Their own parts; the unsubscribe link carries their language, so its page answers in it.</summary>
    public EmailRecipient Recipient(string email, string recipientKey, string? language = null) =>
        new(email, recipientKey, reportOptions.Value.Link("unsubscribe?token=" + tokens.Create(email) + (language is null ? "" : "&lang=" + language)));

    /// <summary>Whether the address unsubscribed: the list holds keyed hashes of addresses, never the addresses.</summary>
    public bool IsUnsubscribed(string email, IReadOnlySet<string> suppressed) => suppressed.Contains(tokens.AddressKey(email));
}
