using Microsoft.Azure.WebJobs;
using SurveyBackend.Functions;

namespace SurveyBackend.LocalHost.Triggers;

/// <summary>The WebJobs side of the app's mailing timer (WebJobs timers are singletons by default, as in Azure).</summary>
public sealed class MailingTriggers(IServiceProvider services)
{
    [FunctionName(nameof(MailingFunctions.SendReportEmails))]
    public Task SendReportEmails([TimerTrigger(Schedules.ReportEmail)] TimerInfo timer, CancellationToken cancellationToken) =>
        services.Function<MailingFunctions>().SendReportEmails(new Microsoft.Azure.Functions.Worker.TimerInfo(), cancellationToken);
}
