using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using SurveyBackend.Intake;
using SurveyBackend.Languages;
using SurveyBackend.Surveys;
using SurveyBackend.Web;

namespace SurveyBackend.Form;

/// <summary>
/// The HTTP side of the embedded form (docs/form.md): the page host pages frame, its no-JavaScript post, form.js,
/// embed.js and the demo. Every HTML answer carries a CSP with no inline script, styles by hash only, and
/// <c>frame-ancestors</c> from <see cref="SurveyOptions.AllowedOrigins"/>.
/// </summary>
public sealed class FormEndpoints(
    SurveyCatalog catalog, IntakeGate gate, FormTokens formTokens, IOptions<SurveyOptions> options, IOptions<IntakeOptions> intakeOptions,
    IOptions<DemoPageOptions> demo, ThankYouRenderer thankYou, Mailing.RetentionPolicy retention, TimeProvider clock, ILogger<FormEndpoints> logger)
{
    /// <summary>Where the page's links and post go, relative to <c>/api/surveys/{id}/form</c> (so any route prefix works).</summary>
    private const string ScriptFromFormPage = "../../form.js";
    private const string FormAction = "form";

    private static readonly string PageCss = FormAssets.Css + "\nbody { margin: 0; background: #fff; }\n";
    private static readonly string PageStyleHash = FormAssets.StyleHash(PageCss);

    public async Task<IActionResult> GetFormAsync(HttpRequest request, string surveyId, CancellationToken cancellationToken)
    {
        var survey = await catalog.FindPublicAsync(surveyId, cancellationToken);
        if (survey is null) return NotFoundPage(request, UiText.For(PageLanguage(request, null)));
        var text = UiText.For(PageLanguage(request, survey.Definition));
        if (!survey.Definition.IsTakingSubmissions(clock.GetUtcNow())) return ClosedPage(request, text);
        return FormPage(request, survey.Definition, FormValues.New(), errors: null, StatusCodes.Status200OK, text);
    }

    /// <summary>
    /// <c>POST /api/surveys/{id}/form</c>: the same <see cref="IntakeGate"/> and <see cref="IntakeService"/> as the JSON
    /// route, answered in HTML: the thank-you page, or the form again with the answers given and the errors.
    /// </summary>
    public async Task<IActionResult> SubmitAsync(HttpRequest request, string surveyId, CancellationToken cancellationToken)
    {
        // Until the body is read, the page's language is the one its address (?lang=) or the browser asks for.
        var headerText = UiText.For(PageLanguage(request, null));
        if (gate.Admit(IntakeRoute.Form, IntakeEndpoints.Headers(request, intakeOptions.Value.ClientAddressHeader)) is { } stop)
            return RefusalPage(request, stop, headerText);
        var body = await RequestBodies.ReadAsync(request, IntakeOptions.MaxBodyBytes, cancellationToken, RequestBodies.Form);
        if (!body.Succeeded) return body.Problem!;

        PublishedSurvey? survey;
        try
        {
            // The form's fields are read against the survey: one value or several depends on the question.
            survey = await catalog.FindPublicAsync(surveyId, cancellationToken);
        }
        catch (Exception ex) when (IntakeService.IsStorageOutage(ex, cancellationToken))
        {
            logger.LogWarning(ex, "The form post for survey {SurveyId} could not read the survey", surveyId);
            return Retry(MessagePage(request, headerText["page.unavailableTitle"], headerText["page.unavailableText"],
                StatusCodes.Status503ServiceUnavailable, headerText));
        }
        if (survey is null) return NotFoundPage(request, headerText);

        var fields = new FormReader(Encoding.UTF8.GetString(body.Body.Span)).ReadForm();
        var (submission, values) = FormFields.Read(survey.Definition, fields, PageLanguage(request, survey.Definition));
        // The language switch: the same answers back, in the other language, and nothing submitted.
        if (fields.TryGetValue(FormRenderer.SwitchField, out var to) && survey.Definition.Offers(to.ToString()))
            return FormPage(request, survey.Definition, values with { LanguageSwitched = true }, errors: null, StatusCodes.Status200OK, UiText.For(to.ToString()));

        var text = UiText.For(submission.Language);
        var token = new IntakeCredential.FormToken(fields.TryGetValue(FormTokens.FieldName, out var given) ? given.ToString() : null);
        var decided = await gate.SubmitAsync(surveyId, submission, token, cancellationToken);
        // A page left open for more than a day: the same answers back with a fresh token, to send again.
        if (decided is GateResult.FormTokenRefused { Expired: true })
        {
            return FormPage(request, survey.Definition, values, new Dictionary<string, string[]> { [""] = [text["page.tokenExpired"]] },
                StatusCodes.Status403Forbidden, text);
        }
        if (decided is not GateResult.Decided { Outcome: var outcome }) return RefusalPage(request, decided, text);
        return outcome.Status switch
        {
            // How they compare, from the answers in this request and the public release; nothing more is kept.
            IntakeStatus.Accepted or IntakeStatus.Repeat => ThankYouPage(request, outcome.Receipt!, text,
                await thankYou.RenderAsync(survey.Definition, values.Answers, headingLevel: 2, text, cancellationToken)),
            IntakeStatus.Invalid => FormPage(request, survey.Definition, values, outcome.Errors!.ToDictionary(), StatusCodes.Status400BadRequest, text),
            IntakeStatus.NotFound => NotFoundPage(request, text),
            IntakeStatus.Closed => ClosedPage(request, text),
            _ => Retry(FormPage(request, survey.Definition, values, new Dictionary<string, string[]> { [""] = [text["page.unavailableRetry"]] },
                StatusCodes.Status503ServiceUnavailable, text)),
        };
    }

    /// <summary>A step of the gate that stopped the post before <see cref="IntakeService"/> saw it, as a page.</summary>
    private IActionResult RefusalPage(HttpRequest request, GateResult result, UiText text) => result switch
    {
        // The body was not read, so there are no answers to show again; the browser keeps them on the page it came from.
        GateResult.Flooded flooded => Retry(MessagePage(request, text["page.floodedTitle"], text["page.floodedText"],
            StatusCodes.Status429TooManyRequests, text), flooded.RetryAfter),
        GateResult.CrossSite => MessagePage(request, text["page.crossSiteTitle"], text["page.crossSiteText"], StatusCodes.Status403Forbidden, text),
        GateResult.FormTokenRefused => MessagePage(request, text["page.tokenTitle"], text["page.tokenText"], StatusCodes.Status403Forbidden, text),
        _ => throw new UnreachableException($"The form post has no page for {result.GetType().Name}."),
    };

    /// <summary><c>?lang=</c>, else <c>Accept-Language</c>, among the languages the survey offers (every supported one without a survey).</summary>
    private static string PageLanguage(HttpRequest request, SurveyDefinition? survey) =>
        LanguageChoice.Choose(request.Query["lang"], request.Headers.AcceptLanguage, survey?.Languages);

    private HeaderResult Retry(IActionResult page, TimeSpan? after = null) =>
        new(page, "Retry-After", Math.Max(1, (int)Math.Ceiling((after ?? intakeOptions.Value.RetryAfter).TotalSeconds)).ToString(CultureInfo.InvariantCulture));

    /// <summary><c>GET /api/embed.js</c>: what a host page loads; it frames the form page.</summary>
    public IActionResult GetEmbedScript(HttpRequest request) =>
        // Host pages that isolate themselves (COEP) may still load it.
        Script(request, FormAssets.EmbedJs, "cross-origin");

    /// <summary><c>GET /api/form.js</c>: the form page's own script; only the backend's pages load it.</summary>
    public IActionResult GetFormScript(HttpRequest request) => Script(request, FormAssets.FormJs, "same-origin");

    /// <summary><c>GET /api/proof-worker.js</c>: the Web Worker in which the form page's script solves its proof of work.</summary>
    public IActionResult GetProofWorker(HttpRequest request) => Script(request, FormAssets.ProofWorkerJs, "same-origin");

    private static IActionResult Script(HttpRequest request, ScriptAsset script, string resourcePolicy)
    {
        var headers = request.HttpContext.Response.Headers;
        headers.CacheControl = "public, max-age=300";
        headers.ETag = script.ETag;
        headers.XContentTypeOptions = "nosniff";
        headers["Cross-Origin-Resource-Policy"] = resourcePolicy;
        if (EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch, out var tags)
            && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag == script.ETag))
        {
            return new StatusCodeResult(StatusCodes.Status304NotModified);
        }
        return new ContentResult { Content = script.Content, ContentType = "text/javascript; charset=utf-8", StatusCode = 200 };
    }

    public IActionResult GetDemo(HttpRequest request)
    {
        // Off (the default, and in Azure): the same answer as an address that does not exist.
        if (!demo.Value.Enabled) return Problems.NotFound("There is nothing at this address.");
        var headers = request.HttpContext.Response.Headers;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // The demo stands in for the community site, with a strict policy of its own: the script and the frame come
        // from the backend ('self' here; the backend's origin on a real site), styles by hash only, no fetches at all.
        headers.ContentSecurityPolicy =
            "default-src 'none'; script-src 'self'; frame-src 'self'; img-src 'self' data:; "
            + $"style-src {DemoPage.StyleHash}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        return Html(DemoPage.Render(), StatusCodes.Status200OK);
    }

    /// <summary>
    /// The form page, blank or (from the no-JS post) with the respondent's answers and the errors, and a fresh form token
    /// bound to the page's submissionId each time (so a page that comes back after its token expired can be sent again).
    /// </summary>
    private IActionResult FormPage(HttpRequest request, SurveyDefinition survey, FormValues values, IDictionary<string, string[]>? errors, int status, UiText text)
    {
        values = values with { FormToken = formTokens.Create(survey.Id, values.SubmissionId) };
        return Page(request, survey.In(text.Language).Title, "<div class=\"sv\" lang=\"" + text.Language + "\">"
            + FormRenderer.Form(survey, values, errors, FormAction, text, retention.Words(text, survey)) + "</div>", status, text);
    }

    /// <summary>The thank-you, with the journey and "How you compare" (<see cref="ThankYouRenderer"/>) after it when given.</summary>
    private IActionResult ThankYouPage(HttpRequest request, string receipt, UiText text, string? comparison = null) =>
        Page(request, text["form.thanksTitle"], "<div class=\"sv\" lang=\"" + text.Language + "\">" + FormRenderer.ThankYou(receipt, text) + comparison + "</div>", StatusCodes.Status200OK, text);

    private IActionResult NotFoundPage(HttpRequest request, UiText text) =>
        MessagePage(request, text["page.notFoundTitle"], text["page.notFoundText"], StatusCodes.Status404NotFound, text);

    private IActionResult ClosedPage(HttpRequest request, UiText text) =>
        MessagePage(request, text["page.closedTitle"], text["page.closedText"], StatusCodes.Status410Gone, text);

    private IActionResult MessagePage(HttpRequest request, string title, string message, int status, UiText text) =>
        Page(request, title, "<div class=\"sv\" lang=\"" + text.Language + "\">" + FormRenderer.Message(title, message) + "</div>", status, text);

    private IActionResult Page(HttpRequest request, string title, string body, int status, UiText text)
    {
        var headers = request.HttpContext.Response.Headers;
        // Every page carries a fresh submissionId: a cached copy would make two people one submission.
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        // Not no-referrer: under it the page's own form posts carry "Origin: null". same-origin keeps the backend's
        // Origin on them and sends nothing to other sites.
        headers["Referrer-Policy"] = "same-origin";
        headers.ContentSecurityPolicy = FormPolicy(options.Value);
        headers.ContentLanguage = text.Language;
        headers.Vary = "Accept-Language";
        var html = "<!doctype html><html lang=\"" + text.Language + "\"><head><meta charset=\"utf-8\">"
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
