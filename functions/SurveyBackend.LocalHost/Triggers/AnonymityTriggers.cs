using Microsoft.Azure.WebJobs;
using SurveyBackend.Functions;
using SurveyBackend.Storage;

namespace SurveyBackend.LocalHost.Triggers;

/// <summary>WebJobs adapters for the anonymiser's queue trigger and the recipients' flush timer.</summary>
public sealed class AnonymityTriggers(IServiceProvider services)
{
    [FunctionName(nameof(AnonymityFunctions.AnonymiseSubmission))]
    public Task AnonymiseSubmission([QueueTrigger(QueueNames.Submissions)] SubmissionMessage message, CancellationToken cancellationToken) =>
        services.Function<AnonymityFunctions>().AnonymiseSubmission(message, cancellationToken);

    [FunctionName(nameof(AnonymityFunctions.FlushRecipients))]
    public Task FlushRecipients([TimerTrigger(Schedules.RecipientFlush)] TimerInfo timer, CancellationToken cancellationToken) =>
        services.Function<AnonymityFunctions>().FlushRecipients(new Microsoft.Azure.Functions.Worker.TimerInfo(), cancellationToken);
}
