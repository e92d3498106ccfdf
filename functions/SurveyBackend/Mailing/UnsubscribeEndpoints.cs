using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using SurveyBackend.Languages;
using SurveyBackend.Storage;
using SurveyBackend.Web;

namespace SurveyBackend.Mailing;

/// <summary>
/// <c>GET|POST /api/unsubscribe?token=…</c>. A valid token puts its address key on the suppression list, which the
/// mailer checks for every recipient of every report; doing it again answers the same. Anything else is a 400 that
/// says only that the link is not valid (not whether an address exists). POST is RFC 8058 one-click
/// (body <c>List-Unsubscribe=One-Click</c>); GET, from the link in the email, answers a small confirmation page.
/// </summary>
public sealed class UnsubscribeEndpoints(UnsubscribeTokens tokens, UnsubscribeStore store, TimeProvider clock, ILogger<UnsubscribeEndpoints> logger)
{
    public async Task<IActionResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        // The link in the email names the recipient's language (?lang=); a mail client's one-click POST may add its own.
        var text = UiText.For(LanguageChoice.Choose(request.Query["lang"], request.Headers.AcceptLanguage));
        if (!tokens.TryRead(request.Query["token"].FirstOrDefault(), out var addressKey))
        {
            return Problems.BadRequest(text["unsubscribe.invalid"]);
        }

        await store.AddAsync(addressKey, clock.GetUtcNow(), cancellationToken);
        logger.LogInformation("An address unsubscribed from report mailings");

        if (HttpMethods.IsPost(request.Method)) return JsonDefaults.Result(new { status = "unsubscribed" });
        request.HttpContext.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        request.HttpContext.Response.Headers.ContentLanguage = text.Language;
        return new ContentResult { Content = ConfirmationPage(text), ContentType = "text/html; charset=utf-8", StatusCode = 200 };
    }

    public static string ConfirmationPage(UiText text) =>
        "<!DOCTYPE html>\n<html lang=\"" + text.Language + "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n" +
        "<title>" + HtmlEncoder.Default.Encode(text["unsubscribe.title"]) + "</title>\n" +
        "<style>body{font-family:system-ui,Arial,sans-serif;line-height:1.5;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}</style>\n" +
        "</head>\n<body>\n<main>\n<h1>" + HtmlEncoder.Default.Encode(text["unsubscribe.title"]) + "</h1>\n" +
        "<p>" + HtmlEncoder.Default.Encode(text["unsubscribe.done"]) + "</p>\n" +
        "</main>\n</body>\n</html>\n";
}
