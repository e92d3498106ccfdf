using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SurveyBackend.Mailing;

namespace SurveyBackend.Functions;

internal sealed class MailingFunctions(ReportMailer mailer, UnsubscribeEndpoints unsubscribe, FinalReportEndpoints finalReport)
{
    [Function(nameof(MarkReportFinal))]
    [Answers(200, 404)]
    public Task<IActionResult> MarkReportFinal(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/reports/{reportId}/final")] HttpRequest request,
        string reportId, CancellationToken cancellationToken) =>
        finalReport.MarkFinalAsync(reportId, cancellationToken);

    [Function(nameof(Unsubscribe))]
    [Answers(200, 400)]
    public Task<IActionResult> Unsubscribe(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "unsubscribe")] HttpRequest request,
        CancellationToken cancellationToken) =>
        unsubscribe.HandleAsync(request, cancellationToken);

    /// <summary>Singleton by the Functions host; the mailer's lease also makes a late or doubled firing harmless.</summary>
    [Function(nameof(SendReportEmails))]
    public Task SendReportEmails([TimerTrigger(Schedules.ReportEmail)] TimerInfo timer, CancellationToken cancellationToken) =>
        mailer.RunAsync(cancellationToken);
}
