using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using SurveyBackend.Languages;
using SurveyBackend.Surveys;

namespace SurveyBackend.Form;

/// <summary>
/// The privacy notice beside the email field (UK GDPR Art. 13), short under it and in full in a <c>&lt;details&gt;</c>,
/// so reading it never leaves the form or loses answers; links open a new tab, never the form's frame (docs/form.md).
/// The controller and contact are the survey's (<see cref="SurveyPrivacy"/>); every other word is the product's.
/// </summary>
public static partial class PrivacyNotice
{
    public const string ShortId = "sv-privacy-short";
    /// <summary>Where to complain: the ICO's own page for it.</summary>
    public const string IcoComplaintUrl = "https://ico.org.uk/make-a-complaint/";
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    /// <summary>Under the email field: who holds the address, on what basis, that consent can be withdrawn, and the contact.</summary>
    public static void Short(StringBuilder b, SurveyPrivacy? privacy, UiText text)
    {
        b.Append("<p class=\"sv-hint sv-privacy-short\" id=\"").Append(ShortId).Append("\">");
        Sentence(b, text["privacy.short"], Controller(privacy, text), text);
        ContactSentence(b, privacy, text);
        b.Append("</p>");
    }

    /// <param name="retention">How long the address is kept, in words (the mailing's retention rule), or null where none is known.</param>
    public static void Full(StringBuilder b, SurveyPrivacy? privacy, UiText text, string? retention)
    {
        var controller = Controller(privacy, text);
        b.Append("<details class=\"sv-privacy\"><summary class=\"sv-privacy-summary\">").Append(Html.Encode(text["privacy.summary"]))
         .Append("</summary><div class=\"sv-privacy-body\">");
        Paragraph(b, text, "privacy.whoTitle", text["privacy.who"], controller, () => ContactSentence(b, privacy, text));
        Paragraph(b, text, "privacy.purposeTitle", text["privacy.purpose"], controller);
        Paragraph(b, text, "privacy.basisTitle", text["privacy.basis"], controller);
        Paragraph(b, text, "privacy.sharedTitle", text["privacy.shared"], controller);
        if (retention is not null) Paragraph(b, text, "privacy.keptTitle", retention, controller);
        Paragraph(b, text, "privacy.rightsTitle", text["privacy.rights"], controller);
        Paragraph(b, text, "privacy.complainTitle", text["privacy.complain"], controller);
        b.Append("</div></details>");
    }

    private static string Controller(SurveyPrivacy? privacy, UiText text) => privacy?.Controller ?? text["privacy.unnamed"];

    private static void Paragraph(StringBuilder b, UiText text, string titleKey, string body, string controller, Action? more = null)
    {
        b.Append("<p><strong>").Append(Html.Encode(text[titleKey])).Append("</strong> ");
        Sentence(b, body, controller, text);
        more?.Invoke();
        b.Append("</p>");
    }

    private static void ContactSentence(StringBuilder b, SurveyPrivacy? privacy, UiText text)
    {
        if (privacy is null) return;
        b.Append(' ');
        var link = privacy.IsMail ? MailLink(privacy.Contact, privacy.ContactText) : PageLink(privacy.Contact, privacy.ContactText, text);
        Fill(b, text["privacy.contact"], name => name == "contact" ? link : null);
    }

    private static void Sentence(StringBuilder b, string template, string controller, UiText text) =>
        Fill(b, template, name => name switch
        {
            "controller" => Html.Encode(controller),
            "ico" => PageLink(IcoComplaintUrl, "ico.org.uk/make-a-complaint", text),
            _ => null,
        });

    private static string MailLink(string href, string shown) =>
        "<a class=\"sv-link\" href=\"" + Html.Encode(href) + "\">" + Html.Encode(shown) + "</a>";

    // A new tab: in the embed's frame a link followed in place would replace the form, and the answers with it.
    private static string PageLink(string href, string shown, UiText text) =>
        "<a class=\"sv-link\" href=\"" + Html.Encode(href) + "\" target=\"_blank\" rel=\"noopener noreferrer\">" + Html.Encode(shown)
        + " <span class=\"sv-new-tab\">" + Html.Encode(text["privacy.newTab"]) + "</span></a>";

    /// <summary>The template HTML-encoded, with each <c>{name}</c> replaced by the given HTML (or left encoded as it is).</summary>
    private static void Fill(StringBuilder b, string template, Func<string, string?> html)
    {
        var at = 0;
        foreach (Match m in Placeholder().Matches(template))
        {
            b.Append(Html.Encode(template[at..m.Index]));
            b.Append(html(m.Groups[1].Value) ?? Html.Encode(m.Value));
            at = m.Index + m.Length;
        }
        b.Append(Html.Encode(template[at..]));
    }

    [GeneratedRegex(@"\{([a-zA-Z]+)\}")]
    private static partial Regex Placeholder();
}
