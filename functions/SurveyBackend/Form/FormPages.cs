using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using SurveyBackend.Surveys;

namespace SurveyBackend.Form;

/// <summary>
/// The HTTP side of the embedded form: the iframe page (<c>/form</c>), the script (<c>/embed.js</c>) and the
/// demo host page. Every HTML answer carries a CSP with no inline script, styles allowed by hash only, and
/// <c>frame-ancestors</c> from <see cref="SurveyOptions.AllowedOrigins"/>.
/// </summary>
public sealed class FormPages(SurveyCatalog catalog, IOptions<SurveyOptions> options, TimeProvider clock)
{
    /// <summary>Where the page's links and post go, relative to <c>/api/surveys/{id}/form</c> (so any route prefix works).</summary>
    private const string ScriptFromFormPage = "../../embed.js";
    private const string FormAction = "form";

    private static readonly string PageCss = FormAssets.Css + "\nbody { margin: 0; background: #fff; }\n";
    private static readonly string PageStyleHash = FormAssets.StyleHash(PageCss);

    public async Task<IActionResult> GetFormAsync(HttpRequest request, string surveyId, CancellationToken cancellationToken)
    {
        var survey = await catalog.FindPublicAsync(surveyId, cancellationToken);
        if (survey is null) return NotFoundPage(request);
        if (!survey.Definition.IsTakingSubmissions(clock.GetUtcNow())) return ClosedPage(request);
        return FormPage(request, survey.Definition, FormValues.New(), errors: null, StatusCodes.Status200OK);
    }

    public IActionResult GetEmbedScript(HttpRequest request)
    {
        var headers = request.HttpContext.Response.Headers;
        headers.CacheControl = "public, max-age=300";
        headers.ETag = FormAssets.EmbedJsETag;
        headers.XContentTypeOptions = "nosniff";
        // Host pages that isolate themselves (COEP) may still load it.
        headers["Cross-Origin-Resource-Policy"] = "cross-origin";
        if (EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch, out var tags)
            && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag == FormAssets.EmbedJsETag))
        {
            return new StatusCodeResult(StatusCodes.Status304NotModified);
        }
        return new ContentResult { Content = FormAssets.EmbedJs, ContentType = "text/javascript; charset=utf-8", StatusCode = 200 };
    }

    public IActionResult GetDemo(HttpRequest request)
    {
        var asIframe = string.Equals(request.Query["as"], "iframe", StringComparison.Ordinal);
        var page = DemoPage.Render(asIframe);
        var headers = request.HttpContext.Response.Headers;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // The demo stands in for the community site, with a strict policy of its own: the script and the API
        // come from the backend ('self' here; the backend's origin on a real site), styles by hash only.
        headers.ContentSecurityPolicy =
            "default-src 'none'; script-src 'self'; connect-src 'self'; frame-src 'self'; img-src 'self' data:; "
            + $"style-src {DemoPage.StyleHash}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        return Html(page, StatusCodes.Status200OK);
    }

    /// <summary>The form page, blank or (from the no-JS post) with the respondent's answers and the errors.</summary>
    public IActionResult FormPage(HttpRequest request, SurveyDefinition survey, FormValues values, IDictionary<string, string[]>? errors, int status) =>
        Page(request, survey.Title, "<div class=\"sv\" lang=\"en\">" + FormRenderer.Form(survey, values, errors, FormAction) + "</div>", status);

    /// <summary>The thank-you, with "How you compare" (<see cref="ThankYouRenderer"/>) after it when given.</summary>
    public IActionResult ThankYouPage(HttpRequest request, string receipt, string? comparison = null) =>
        Page(request, "Thank you", "<div class=\"sv\" lang=\"en\">" + FormRenderer.ThankYou(receipt) + comparison + "</div>", StatusCodes.Status200OK);

    public IActionResult NotFoundPage(HttpRequest request) =>
        MessagePage(request, "Survey not found", "There is no survey at this address.", StatusCodes.Status404NotFound);

    public IActionResult ClosedPage(HttpRequest request) =>
        MessagePage(request, "This survey is closed", "It is no longer taking responses. Thank you for your interest.", StatusCodes.Status410Gone);

    public IActionResult MessagePage(HttpRequest request, string title, string text, int status) =>
        Page(request, title, "<div class=\"sv\" lang=\"en\">" + FormRenderer.Message(title, text) + "</div>", status);

    private IActionResult Page(HttpRequest request, string title, string body, int status)
    {
        var headers = request.HttpContext.Response.Headers;
        // Every page carries a fresh submissionId: a cached copy would make two people one submission.
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = FormPolicy(options.Value);
        var html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            // No favicon request (it would only be a 404).
            + "<link rel=\"icon\" href=\"data:,\">"
            + "<title>" + WebUtility.HtmlEncode(title) + "</title>"
            + "<style>" + PageCss + "</style>"
            + "<script src=\"" + ScriptFromFormPage + "\" defer></script>"
            + "</head><body>" + body + "</body></html>";
        return Html(html, status);
    }

    /// <summary>The form page's policy: only its own script, posts and fetches to itself, framed only by the allowed origins.</summary>
    public static string FormPolicy(SurveyOptions options)
    {
        var ancestors = string.Join(' ', ["'self'", .. options.Origins.Select(o => o.TrimEnd('/'))]);
        return "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
            + $"style-src {PageStyleHash}; base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}";
    }

    private static ContentResult Html(string html, int status) =>
        new() { Content = html, ContentType = "text/html; charset=utf-8", StatusCode = status };
}
