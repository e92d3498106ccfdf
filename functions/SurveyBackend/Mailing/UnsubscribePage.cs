using System.Text;
using System.Text.Encodings.Web;
using SurveyBackend.Languages;

namespace SurveyBackend.Mailing;

/// <summary>
/// The two pages of <c>/api/unsubscribe</c>, in the email's language: the one a GET answers (it changes nothing, and
/// asks with one button that POSTs), and the one that POST answers (unsubscribed and erased, and it says both).
/// Self-contained: inline styles, no script, nothing fetched, so the CSP is <see cref="Policy"/>.
/// </summary>
public static class UnsubscribePage
{
    public const string Policy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>The field the button posts: the same body as RFC 8058 one-click, so both are one request.</summary>
    public const string OneClickField = "List-Unsubscribe";

    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    private const string Style =
        "body{font-family:system-ui,-apple-system,'Segoe UI',Arial,sans-serif;font-size:1.125rem;line-height:1.5;color:#1a1a1a;background:#fff;margin:0}" +
        "main{max-width:38rem;margin:0 auto;padding:2rem 1rem}" +
        "h1{font-size:1.75rem;line-height:1.25;margin:0 0 1rem}" +
        "p{margin:0 0 1rem}" +
        "button{font:inherit;font-weight:600;color:#fff;background:#1f4e99;border:2px solid #1f4e99;border-radius:4px;padding:.75rem 1.25rem;cursor:pointer;max-width:100%}" +
        "button:hover{background:#163a73;border-color:#163a73}" +
        "button:focus-visible{outline:3px solid #1a1a1a;outline-offset:3px}";

    /// <summary>What a GET answers: what the button will do, and the button.</summary>
    /// <param name="action">The same URL relative to <c>/api/</c> (token and language), where the button posts.</param>
    public static string Confirm(UiText text, string action) =>
        Page(text, text["unsubscribe.confirmTitle"], b => b
            .Append("<p>").Append(Html.Encode(text["unsubscribe.confirmIntro"])).Append("</p>\n")
            .Append("<p>").Append(Html.Encode(text["unsubscribe.confirmErase"])).Append("</p>\n")
            .Append("<form method=\"post\" action=\"").Append(Html.Encode(action)).Append("\">\n")
            .Append("<input type=\"hidden\" name=\"").Append(OneClickField).Append("\" value=\"One-Click\">\n")
            .Append("<button type=\"submit\">").Append(Html.Encode(text["unsubscribe.button"])).Append("</button>\n</form>\n"));

    /// <summary>What a POST answers: unsubscribed, and the address erased.</summary>
    public static string Done(UiText text) =>
        Page(text, text["unsubscribe.title"], b => b
            .Append("<p>").Append(Html.Encode(text["unsubscribe.done"])).Append("</p>\n")
            .Append("<p>").Append(Html.Encode(text["unsubscribe.erased"])).Append("</p>\n")
            .Append("<p>").Append(Html.Encode(text["unsubscribe.nothingElse"])).Append("</p>\n"));

    private static string Page(UiText text, string heading, Action<StringBuilder> body)
    {
        var b = new StringBuilder(2048)
            .Append("<!DOCTYPE html>\n<html lang=\"").Append(text.Language).Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n")
            .Append("<title>").Append(Html.Encode(heading)).Append("</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n<main>\n")
            .Append("<h1>").Append(Html.Encode(heading)).Append("</h1>\n");
        body(b);
        return b.Append("</main>\n</body>\n</html>\n").ToString();
    }
}
