using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using SurveyBackend.Aggregation;
using SurveyBackend.Languages;
using SurveyBackend.Releases;
using SurveyBackend.Validation;
using SurveyBackend.Web;

namespace SurveyBackend.Reports;

/// <summary>The HTTP side of reports: publish (admin), the public page and its CSV.</summary>
public sealed class ReportEndpoints(ReportPublisher publisher, ReportPageRenderer renderer, SlidesRenderer slides)
{
    public const int MaxPublishBytes = 64 * 1024;

    // The page is self-contained: inline styles, no scripts, no remote anything.
    private const string PagePolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors *";

    public async Task<IActionResult> PublishAsync(HttpRequest request, string surveyId, CancellationToken cancellationToken)
    {
        var body = await RequestBodies.ReadAsync(request, MaxPublishBytes, cancellationToken);
        if (!body.Succeeded) return body.Problem!;
        var parsed = PublishRequest.Parse(body.Body.Span);
        if (!parsed.IsValid) return Problems.Validation(parsed.Errors, "The report is not valid; see errors.");

        var result = await publisher.PublishAsync(surveyId, parsed.Value!, cancellationToken);
        switch (result.Outcome)
        {
            case PublishOutcome.UnknownSurvey: return Problems.NotFound("There is no survey with this id.");
            case PublishOutcome.UnknownRelease: return Problems.Validation("release", "This survey has no release with this number.");
            case PublishOutcome.ReleaseNotYetSafe: return ReleaseEndpoints.NotYetSafe(result.RespondentsNeeded);
            case PublishOutcome.ReleaseBusy: return Problems.Unavailable(TimeSpan.FromSeconds(5));
            case PublishOutcome.UndeclaredLanguage:
                var undeclared = new ValidationErrors();
                undeclared.Add("title." + result.Language, $"The survey does not declare the language '{result.Language}'.");
                undeclared.Add("summary." + result.Language, $"The survey does not declare the language '{result.Language}'.");
                return Problems.Validation(undeclared, "The report is not valid; see errors.");
        }

        var report = result.Report!;
        request.HttpContext.Response.Headers.Location = result.Url;
        return JsonDefaults.Result(new { reportId = report.Id, url = result.Url, release = report.Snapshot.Release, publishAt = report.PublishAt, final = report.Final }, StatusCodes.Status201Created);
    }

    public async Task<IActionResult> GetPageAsync(HttpRequest request, string reportId, CancellationToken cancellationToken)
    {
        var report = InAskedLanguage(request, await publisher.FindPublicAsync(reportId, cancellationToken));
        if (report is null) return Problems.NotFound("There is no published report at this address.");

        var headers = request.HttpContext.Response.Headers;
        headers.CacheControl = "public, max-age=300";
        headers.ContentSecurityPolicy = PagePolicy;
        headers.XContentTypeOptions = "nosniff";
        return new ContentResult { Content = renderer.RenderPage(report), ContentType = "text/html; charset=utf-8", StatusCode = 200 };
    }

    public async Task<IActionResult> GetSlidesAsync(HttpRequest request, string reportId, CancellationToken cancellationToken)
    {
        var report = InAskedLanguage(request, await publisher.FindPublicAsync(reportId, cancellationToken));
        if (report is null) return Problems.NotFound("There is no published report at this address.");

        var headers = request.HttpContext.Response.Headers;
        headers.CacheControl = "public, max-age=300";
        headers.ContentSecurityPolicy = SlidesRenderer.Policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        return new ContentResult { Content = slides.Render(report), ContentType = "text/html; charset=utf-8", StatusCode = 200 };
    }

    /// <summary><c>charts/{questionId}.svg</c>: a question's chart as a file, with its title, n, release and footnote drawn in.</summary>
    public async Task<IActionResult> GetChartAsync(HttpRequest request, string reportId, string file, CancellationToken cancellationToken)
    {
        var report = InAskedLanguage(request, await publisher.FindPublicAsync(reportId, cancellationToken));
        var questionId = file.EndsWith(".svg", StringComparison.Ordinal) ? file[..^4] : null;
        var question = questionId is null ? null : report?.Snapshot.Results.Questions.FirstOrDefault(q => q.Id == questionId);
        if (report is null || question is null) return Problems.NotFound("There is no such chart in a published report.");

        var headers = request.HttpContext.Response.Headers;
        headers.CacheControl = "public, max-age=300";
        // An SVG opened on its own is a document: no script, nothing fetched.
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentDisposition = $"attachment; filename=\"{question.Id}.svg\"";
        return new ContentResult
        {
            Content = SvgCharts.AsFile(ReportCharts.QuestionSvg(report, question, "f-" + question.Id, withCaption: true)),
            ContentType = "image/svg+xml; charset=utf-8",
            StatusCode = 200,
        };
    }

    /// <summary>
    /// The report in the language asked for (<c>?lang=</c>, else Accept-Language) if it can be read in it, else English;
    /// the response says which and that it varies with the header.
    /// </summary>
    private static Report? InAskedLanguage(HttpRequest request, Report? report)
    {
        if (report is null) return null;
        var language = LanguageChoice.Choose(request.Query["lang"].ToString(), request.Headers.AcceptLanguage.ToString(), report.Languages);
        var headers = request.HttpContext.Response.Headers;
        headers.Vary = "Accept-Language";
        headers.ContentLanguage = language;
        return report.In(language);
    }

    public async Task<IActionResult> GetCsvAsync(HttpRequest request, string reportId, CancellationToken cancellationToken)
    {
        var report = await publisher.FindPublicAsync(reportId, cancellationToken);
        if (report is null) return Problems.NotFound("There is no published report at this address.");

        var headers = request.HttpContext.Response.Headers;
        headers.CacheControl = "public, max-age=300";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentDisposition = $"attachment; filename=\"report-{report.Id}.csv\"";
        return new ContentResult { Content = ResultsCsv.Write(report.Snapshot.Results, report.Snapshot.Survey, report.Snapshot.Release,
            report.Snapshot.Survey.PreviousWave is null ? null : report.Snapshot.Trends() ?? []), ContentType = "text/csv; charset=utf-8", StatusCode = 200 };
    }
}
