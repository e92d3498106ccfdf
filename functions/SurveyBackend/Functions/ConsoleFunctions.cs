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
    [Answers(200)]
    public IActionResult GetConsole(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console")] HttpRequest request) =>
        ConsoleEndpoints.GetPage(request);

    [Function(nameof(GetConsoleScript))]
    [Answers(200)]
    public IActionResult GetConsoleScript(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/console.js")] HttpRequest request) =>
        ConsoleEndpoints.GetScript(request);

    [Function(nameof(GetConsoleStyles))]
    [Answers(200)]
    public IActionResult GetConsoleStyles(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/console.css")] HttpRequest request) =>
        ConsoleEndpoints.GetStyles(request);

    [Function(nameof(ListSurveys))]
    [Answers(200)]
    public Task<IActionResult> ListSurveys(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/surveys")] HttpRequest request,
        CancellationToken cancellationToken) =>
        admin.ListSurveysAsync(request, cancellationToken);

    [Function(nameof(GetSurveyDefinition))]
    [Answers(200, 404)]
    public Task<IActionResult> GetSurveyDefinition(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/surveys/{surveyId}")] HttpRequest request,
        string surveyId, CancellationToken cancellationToken) =>
        admin.GetDefinitionAsync(request, surveyId, cancellationToken);

    [Function(nameof(GetRespondentsPerDay))]
    [Answers(200, 404)]
    public Task<IActionResult> GetRespondentsPerDay(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/surveys/{surveyId}/days")] HttpRequest request,
        string surveyId, CancellationToken cancellationToken) =>
        admin.GetRespondentsPerDayAsync(request, surveyId, cancellationToken);

    [Function(nameof(ListSurveyReports))]
    [Answers(200, 404)]
    public Task<IActionResult> ListSurveyReports(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/surveys/{surveyId}/reports")] HttpRequest request,
        string surveyId, CancellationToken cancellationToken) =>
        admin.ListReportsAsync(request, surveyId, cancellationToken);

    [Function(nameof(GetIntakeCounts))]
    [Answers(200, 400)]
    public Task<IActionResult> GetIntakeCounts(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/intake")] HttpRequest request,
        CancellationToken cancellationToken) =>
        admin.GetIntakeAsync(request, cancellationToken);

    [Function(nameof(PreviewSummary))]
    [Answers(200, 400, 413, 415)]
    public Task<IActionResult> PreviewSummary(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/summary-preview")] HttpRequest request,
        CancellationToken cancellationToken) =>
        admin.PreviewSummaryAsync(request, cancellationToken);
}
