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
/// The HTTP side of the embedded form: the form page (<c>/form</c>, which host pages frame), its own post when
/// JavaScript is off, its script (<c>/form.js</c>), the host page's loader (<c>/embed.js</c>) and the demo host page.
/// Every HTML answer carries a CSP with no inline script, styles allowed by hash only, and <c>frame-ancestors</c> from
/// <see cref="SurveyOptions.AllowedOrigins"/>.
/// </summary>
public sealed class FormEndpoints(
    SurveyCatalog catalog, IntakeEndpoints intake, IOptions<SurveyOptions> options, IOptions<IntakeOptions> intakeOptions,
    IOptions<DemoPageOptions> demo, ThankYouRenderer thankYou, Mailing.RetentionPolicy retention, TimeProvider clock, ILogger<FormEndpoints> logger)
{
    /// <summary>Where the page's links and post go, relative to <c>/api/surveys/{id}/form</c> (so any route prefix works).</summary>
    private const string ScriptFromFormPage = "../../form.js";
    private const string FormAction = "form";

    private static readonly string PageCss = FormAssets.Css + "\nbody { margin: 0; background: #fff; }\n";
    private static readonly string PageStyleHash = FormAssets.StyleHash(PageCss);

    private readonly SurveyCatalog _catalog = catalog;
    private readonly TimeSpan _retryAfter = intakeOptions.Value.RetryAfter;
    private readonly ILogger<FormEndpoints> _logger = logger;
    private readonly ThankYouRenderer _thankYou = thankYou;

    public async Task<IActionResult> GetFormAsync(HttpRequest request, string surveyId, CancellationToken cancellationToken)
    {
        var survey = await _catalog.FindPublicAsync(surveyId, cancellationToken);
        if (survey is null) return NotFoundPage(request, UiText.For(PageLanguage(request, null)));
        var text = UiText.For(PageLanguage(request, survey.Definition));
        if (!survey.Definition.IsTakingSubmissions(clock.GetUtcNow())) return ClosedPage(request, text);
        return FormPage(request, survey.Definition, FormValues.New(), errors: null, StatusCodes.Status200OK, text);
    }

    /// <summary>
    /// <c>POST /api/surveys/{id}/form</c>: the same gate and <see cref="IntakeService"/> as the JSON route, answered in
    /// HTML: the thank-you page, or the form again with the answers given and the errors.
    /// </summary>
    public Task<IActionResult> SubmitAsync(HttpRequest request, string surveyId, CancellationToken cancellationToken) =>
        intake.GateAsync(request, surveyId, new PostRoute(this, request), cancellationToken);

    /// <summary><c>?lang=</c>, else <c>Accept-Language</c>, among the languages the survey offers (every supported one without a survey).</summary>
    private static string PageLanguage(HttpRequest request, SurveyDefinition? survey) =>
        LanguageChoice.Choose(request.Query["lang"], request.Headers.AcceptLanguage, survey?.Languages);

    private sealed record Posted(SurveyDefinition Survey, FormValues Values, UiText Text);

    private sealed class PostRoute(FormEndpoints pages, HttpRequest request) : IntakeEndpoints.Route<Posted>
    {
        public override string MediaType => RequestBodies.Form;

        // The body has not been read (the flood guard comes first), so there are no answers to show again; the
        // respondent's browser keeps them on the page they came from.
        // The language of the page the post came from, by its address (?lang=) or the browser's; the body is not read yet.
        private UiText HeaderText => UiText.For(PageLanguage(request, null));

        public override IActionResult Flooded(TimeSpan wait) => Retry(pages.MessagePage(request, HeaderText["page.floodedTitle"],
            HeaderText["page.floodedText"], StatusCodes.Status429TooManyRequests, HeaderText), wait);

        public override async Task<IntakeEndpoints.Parsed<Posted>> ParseAsync(string surveyId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
        {
            PublishedSurvey? survey;
            try
            {
                // The form's fields are read against the survey: one value or several depends on the question.
                survey = await pages._catalog.FindPublicAsync(surveyId, cancellationToken);
            }
            catch (Exception ex) when (IntakeService.IsStorageOutage(ex, cancellationToken))
            {
                pages._logger.LogWarning(ex, "The form post for survey {SurveyId} could not read the survey", surveyId);
                return IntakeEndpoints.Parsed<Posted>.Refused(Retry(pages.MessagePage(request, HeaderText["page.unavailableTitle"],
                    HeaderText["page.unavailableText"], StatusCodes.Status503ServiceUnavailable, HeaderText), pages._retryAfter));
            }
            if (survey is null) return IntakeEndpoints.Parsed<Posted>.Refused(pages.NotFoundPage(request, HeaderText));

            var fields = new FormReader(Encoding.UTF8.GetString(body.Span)).ReadForm();
            var (submission, values) = FormFields.Read(survey.Definition, fields, PageLanguage(request, survey.Definition));
            // The language switch: the same answers back, in the other language, and nothing submitted.
            if (fields.TryGetValue(FormRenderer.SwitchField, out var to) && survey.Definition.Offers(to.ToString()))
                return IntakeEndpoints.Parsed<Posted>.Refused(pages.FormPage(request, survey.Definition, values with { LanguageSwitched = true }, errors: null, StatusCodes.Status200OK, UiText.For(to.ToString())));
            return IntakeEndpoints.Parsed<Posted>.Of(submission, new Posted(survey.Definition, values, UiText.For(submission.Language)));
        }

        public override async Task<IActionResult> AnswerAsync(IntakeOutcome outcome, Posted posted, CancellationToken cancellationToken) => outcome.Status switch
        {
            // How they compare, from the answers in this request and the public release; nothing more is kept.
            IntakeStatus.Accepted or IntakeStatus.Repeat => pages.ThankYouPage(request, outcome.Receipt!, posted.Text,
                await pages._thankYou.RenderAsync(posted.Survey, posted.Values.Answers, headingLevel: 2, posted.Text, cancellationToken)),
            IntakeStatus.Invalid => pages.FormPage(request, posted.Survey, posted.Values, outcome.Errors!.ToDictionary(), StatusCodes.Status400BadRequest, posted.Text),
            IntakeStatus.NotFound => pages.NotFoundPage(request, posted.Text),
            IntakeStatus.Closed => pages.ClosedPage(request, posted.Text),
            _ => Retry(pages.FormPage(request, posted.Survey, posted.Values,
                new Dictionary<string, string[]> { [""] = [posted.Text["page.unavailableRetry"]] },
                StatusCodes.Status503ServiceUnavailable, posted.Text), pages._retryAfter),
        };

        private static HeaderResult Retry(IActionResult page, TimeSpan after) =>
            new(page, "Retry-After", Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary><c>GET /api/embed.js</c>: what a host page loads; it frames the form page.</summary>
    public IActionResult GetEmbedScript(HttpRequest request) =>
        // Host pages that isolate themselves (COEP) may still load it.
        Script(request, FormAssets.EmbedJs, "cross-origin");

    /// <summary><c>GET /api/form.js</c>: the form page's own script; only the backend's pages load it.</summary>
    public IActionResult GetFormScript(HttpRequest request) => Script(request, FormAssets.FormJs, "same-origin");

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

    /// <summary>The form page, blank or (from the no-JS post) with the respondent's answers and the errors.</summary>
    private IActionResult FormPage(HttpRequest request, SurveyDefinition survey, FormValues values, IDictionary<string, string[]>? errors, int status, UiText text) =>
        Page(request, survey.In(text.Language).Title, "<div class=\"sv\" lang=\"" + text.Language + "\">" + FormRenderer.Form(survey, values, errors, FormAction, text, retention.Words(text, survey)) + "</div>", status, text);

    /// <summary>The thank-you, with "How you compare" (<see cref="ThankYouRenderer"/>) after it when given.</summary>
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
