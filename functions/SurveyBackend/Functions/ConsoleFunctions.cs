using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SurveyBackend.Admin;

namespace SurveyBackend.Functions;

/// <summary>
/// The survey owner's console and the admin routes only it needs. The page and its assets are anonymous (they hold
/// no data; the key is pasted into the page); every route with data takes the function key.
/// </summary>
internal sealed class ConsoleFunctions(AdminEndpoints admin)
{
    [Function(nameof(GetConsole))]
    public IActionResult GetConsole(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console")] HttpRequest request) =>
        ConsolePage.GetPage(request);

    [Function(nameof(GetConsoleScript))]
    public IActionResult GetConsoleScript(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/console.js")] HttpRequest request) =>
        ConsolePage.GetScript(request);

    [Function(nameof(GetConsoleStyles))]
    public IActionResult GetConsoleStyles(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/console.css")] HttpRequest request) =>
        ConsolePage.GetStyles(request);

    [Function(nameof(ListSurveys))]
    public Task<IActionResult> ListSurveys(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/surveys")] HttpRequest request,
        CancellationToken cancellationToken) =>
        admin.ListSurveysAsync(request, cancellationToken);

    [Function(nameof(GetSurveyDefinition))]
    public Task<IActionResult> GetSurveyDefinition(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/surveys/{surveyId}")] HttpRequest request,
        string surveyId, CancellationToken cancellationToken) =>
        admin.GetDefinitionAsync(request, surveyId, cancellationToken);

    [Function(nameof(GetRespondentsPerDay))]
    public Task<IActionResult> GetRespondentsPerDay(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/surveys/{surveyId}/days")] HttpRequest request,
        string surveyId, CancellationToken cancellationToken) =>
        admin.GetRespondentsPerDayAsync(request, surveyId, cancellationToken);

    [Function(nameof(ListSurveyReports))]
    public Task<IActionResult> ListSurveyReports(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/surveys/{surveyId}/reports")] HttpRequest request,
        string surveyId, CancellationToken cancellationToken) =>
        admin.ListReportsAsync(request, surveyId, cancellationToken);

    [Function(nameof(PreviewSummary))]
    public Task<IActionResult> PreviewSummary(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/summary-preview")] HttpRequest request,
        CancellationToken cancellationToken) =>
        admin.PreviewSummaryAsync(request, cancellationToken);
}
