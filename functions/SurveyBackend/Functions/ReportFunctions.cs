using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SurveyBackend.Mailing;
using SurveyBackend.Reports;

namespace SurveyBackend.Functions;

internal sealed class ReportFunctions(ReportEndpoints reports, DeliveryStatusEndpoints deliveries)
{
    [Function(nameof(PublishReport))]
    [Answers(201, 400, 404, 409, 413, 415, 503)]
    public Task<IActionResult> PublishReport(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/surveys/{surveyId}/reports")] HttpRequest request,
        string surveyId, CancellationToken cancellationToken) =>
        reports.PublishAsync(request, surveyId, cancellationToken);

    [Function(nameof(GetReport))]
    [Answers(200, 404)]
    public Task<IActionResult> GetReport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reports/{reportId}")] HttpRequest request,
        string reportId, CancellationToken cancellationToken) =>
        reports.GetPageAsync(request, reportId, cancellationToken);

    [Function(nameof(GetReportCsv))]
    [Answers(200, 404)]
    public Task<IActionResult> GetReportCsv(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reports/{reportId}/results.csv")] HttpRequest request,
        string reportId, CancellationToken cancellationToken) =>
        reports.GetCsvAsync(request, reportId, cancellationToken);

    [Function(nameof(GetReportSlides))]
    [Answers(200, 404)]
    public Task<IActionResult> GetReportSlides(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reports/{reportId}/slides")] HttpRequest request,
        string reportId, CancellationToken cancellationToken) =>
        reports.GetSlidesAsync(request, reportId, cancellationToken);

    [Function(nameof(GetReportChart))]
    [Answers(200, 404)]
    public Task<IActionResult> GetReportChart(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reports/{reportId}/charts/{file}")] HttpRequest request,
        string reportId, string file, CancellationToken cancellationToken) =>
        reports.GetChartAsync(request, reportId, file, cancellationToken);

    [Function(nameof(GetReportDeliveries))]
    [Answers(200, 404)]
    public Task<IActionResult> GetReportDeliveries(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/reports/{reportId}/deliveries")] HttpRequest request,
        string reportId, CancellationToken cancellationToken) =>
        deliveries.GetAsync(reportId, cancellationToken);
}
