using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using SurveyBackend.Languages;
using SurveyBackend.Reports;
using SurveyBackend.Surveys;
using SurveyBackend.Validation;
using SurveyBackend.Web;

namespace SurveyBackend.Admin;

/// <summary>
/// The HTTP side of the console's own admin routes: the survey list, one definition (drafts included), respondents
/// per day, a survey's reports, and the Markdown preview. Every answer is <c>no-store</c>: these are live figures.
/// </summary>
public sealed class AdminEndpoints(SurveyOverview overview, SurveyCatalog catalog, IntakeActivity intake)
{
    public const int MaxPreviewBytes = ReportEndpoints.MaxPublishBytes;

    public async Task<IActionResult> ListSurveysAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        NoStore(request);
        return JsonDefaults.Result(new { surveys = await overview.ListAsync(cancellationToken) });
    }

    public async Task<IActionResult> GetDefinitionAsync(HttpRequest request, string surveyId, CancellationToken cancellationToken)
    {
        var survey = await catalog.FindAsync(surveyId, cancellationToken);
        if (survey is null) return Problems.NotFound("There is no survey at this address.");
        NoStore(request);
        // As an admin writes it (texts per language), so the console can PUT back what it read.
        return new ContentResult { Content = Surveys.DefinitionAuthoring.ToJson(survey.Definition), ContentType = "application/json; charset=utf-8", StatusCode = StatusCodes.Status200OK };
    }

    public async Task<IActionResult> GetRespondentsPerDayAsync(HttpRequest request, string surveyId, CancellationToken cancellationToken)
    {
        var days = await overview.PerDayAsync(surveyId, cancellationToken);
        if (days is null) return Problems.NotFound("There is no survey at this address.");
        NoStore(request);
        return JsonDefaults.Result(days);
    }

    public async Task<IActionResult> ListReportsAsync(HttpRequest request, string surveyId, CancellationToken cancellationToken)
    {
        var reports = await overview.ReportsAsync(surveyId, cancellationToken);
        if (reports is null) return Problems.NotFound("There is no survey at this address.");
        NoStore(request);
        return JsonDefaults.Result(new { surveyId, reports });
    }

    /// <summary><c>GET /api/admin/intake?hours=48</c>: per hour, posts accepted and refused by reason, for the whole app.</summary>
    public async Task<IActionResult> GetIntakeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var asked = request.Query["hours"].ToString();
        var hours = 48;
        if (asked.Length > 0 && !(int.TryParse(asked, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out hours) && hours is >= 1 and <= IntakeActivity.MaxHours))
            return Problems.Validation("hours", $"Ask for 1 to {IntakeActivity.MaxHours} hours.");
        NoStore(request);
        return JsonDefaults.Result(await intake.LastHoursAsync(hours, cancellationToken));
    }

    /// <summary><c>{ "summary": "…" }</c> → <c>{ "html": "…" }</c>, rendered by the report page's own Markdown rules.</summary>
    public async Task<IActionResult> PreviewSummaryAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await RequestBodies.ReadAsync(request, MaxPreviewBytes, cancellationToken);
        if (!body.Succeeded) return body.Problem!;
        var read = JsonBody.Read(body.Body, UiText.For(UiText.English), root => root.Fields("summary")["summary"].String());
        if (!read.IsValid) return Problems.Validation(read.Errors);
        if (read.Value!.Faults.Count > 0) return Problems.Validation(read.Value.Faults);
        var summary = read.Value.Value;
        if (summary is null) return Problems.Validation("summary", "Send { \"summary\": \"Markdown text\" }.");
        NoStore(request);
        return JsonDefaults.Result(new { html = MarkdownSummary.ToHtml(summary) });
    }

    private static void NoStore(HttpRequest request) => request.HttpContext.Response.Headers.CacheControl = "no-store";
}
