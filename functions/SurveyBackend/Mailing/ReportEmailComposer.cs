using Microsoft.Extensions.Options;
using SurveyBackend.Languages;
using SurveyBackend.Reports;

namespace SurveyBackend.Mailing;

/// <summary>
/// What a report's email says: one content per language of the mailing (the report as email, linking its page), and each
/// recipient's own parts (their unsubscribe link; whether their address is on the suppression list).
/// </summary>
public sealed class ReportEmailComposer(ReportEmailRenderer renderer, ReportPublisher publisher, UnsubscribeTokens tokens, RetentionPolicy retention, IOptions<ReportOptions> reportOptions)
{
    /// <summary>
    /// The email for recipients of one language (<paramref name="language"/>): in it when the report can be read in it;
    /// for no language given, in every language the report offers, Welsh first; else English.
    /// </summary>
    public EmailContent Content(Report report, string? language = null)
    {
        var pageUrl = publisher.PageUrl(report.Id);
        var content = language is null && report.Languages.Contains(UiText.Welsh)
            ? renderer.RenderBilingualEmail(report.In(UiText.Welsh), report, pageUrl)
            : renderer.RenderEmail(report.In(language ?? UiText.English), pageUrl);
        // The footer says how long the address is kept: the periods are settings, the same in every language.
        return content with { Html = retention.Fill(content.Html), Text = retention.Fill(content.Text) };
    }

    /// <summary>Their own parts; the unsubscribe link carries their language, so its page answers in it.</summary>
    public EmailRecipient Recipient(string email, string recipientKey, string? language = null) =>
        new(email, recipientKey, reportOptions.Value.Link("unsubscribe?token=" + tokens.Create(email) + (language is null ? "" : "&lang=" + language)));

    /// <summary>
    /// Whether the address unsubscribed: the list holds keyed hashes of addresses, never the addresses, made under the
    /// secret of their day and matched under every secret (docs/deploy.md, "Rotating the secret").
    /// </summary>
    public bool IsUnsubscribed(string email, IReadOnlySet<string> suppressed) => tokens.IsSuppressed(email, suppressed);
}
