using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using SurveyBackend.Languages;
using SurveyBackend.Storage;
using SurveyBackend.Web;

namespace SurveyBackend.Mailing;

/// <summary>
/// <c>GET|POST /api/unsubscribe?token=…</c>. A GET changes nothing (mail scanners fetch links) and answers a page whose
/// button POSTs; a POST, or RFC 8058 one-click, suppresses the address and erases it (<see cref="AddressErasure"/>).
/// A bad token is a 400 that says only that, never whether an address exists.
/// </summary>
public sealed class UnsubscribeEndpoints(UnsubscribeTokens tokens, UnsubscribeStore store, AddressErasure erasure, TimeProvider clock, ILogger<UnsubscribeEndpoints> logger)
{
    public async Task<IActionResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var headers = request.HttpContext.Response.Headers;
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        // The link in the email names the recipient's language (?lang=); a mail client's one-click POST may add its own.
        var text = UiText.For(LanguageChoice.Choose(request.Query["lang"], request.Headers.AcceptLanguage));
        var token = request.Query["token"].FirstOrDefault();
        if (!tokens.TryRead(token, out var addressKey)) return Problems.BadRequest(text["unsubscribe.invalid"]);

        if (!HttpMethods.IsPost(request.Method)) return Page(request, text, UnsubscribePage.Confirm(text, ActionFor(token!, request.Query["lang"].FirstOrDefault())));

        // On the list first, so that no mailing sends to the address while it is being erased.
        await store.AddAsync(addressKey, clock.GetUtcNow(), cancellationToken);
        await erasure.EraseAsync(addressKey, cancellationToken);
        logger.LogInformation("An address unsubscribed from report mailings and was erased");
        return WantsPage(request)
            ? Page(request, text, UnsubscribePage.Done(text))
            : JsonDefaults.Result(new { status = "unsubscribed", addressErased = true });
    }

    /// <summary>The button posts back to the same link: its token and, when it named one, its language.</summary>
    private static string ActionFor(string token, string? language) =>
        "unsubscribe?token=" + Uri.EscapeDataString(token) + (UiText.IsSupported(language) ? "&lang=" + language : "");

    /// <summary>A browser (the page's button) gets the page; a mail client's one-click POST and API clients get JSON.</summary>
    private static bool WantsPage(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    private static ContentResult Page(HttpRequest request, UiText text, string html)
    {
        var headers = request.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = UnsubscribePage.Policy;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentLanguage = text.Language;
        return new ContentResult { Content = html, ContentType = "text/html; charset=utf-8", StatusCode = 200 };
    }
}
