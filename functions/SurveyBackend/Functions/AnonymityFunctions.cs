using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SurveyBackend.Anonymity;
using SurveyBackend.Storage;

namespace SurveyBackend.Functions;

internal sealed class AnonymityFunctions(SubmissionAnonymiser anonymiser, RecipientFlusher flusher, PoisonEndpoints poison)
{
    [Function(nameof(AnonymiseSubmission))]
    public Task AnonymiseSubmission([QueueTrigger(QueueNames.Submissions)] SubmissionMessage message, CancellationToken cancellationToken) =>
        anonymiser.ProcessAsync(message, cancellationToken);

    [Function(nameof(FlushRecipients))]
    public Task FlushRecipients([TimerTrigger(Schedules.RecipientFlush)] TimerInfo timer, CancellationToken cancellationToken) =>
        flusher.FlushAsync(cancellationToken);

    [Function(nameof(GetPoison))]
    [Answers(200)]
    public Task<IActionResult> GetPoison(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/poison")] HttpRequest request,
        CancellationToken cancellationToken) =>
        poison.ListAsync(cancellationToken);

    [Function(nameof(ReplayPoison))]
    [Answers(200, 404)]
    public Task<IActionResult> ReplayPoison(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/poison/{queue}/replay")] HttpRequest request,
        string queue, CancellationToken cancellationToken) =>
        poison.ReplayAsync(queue, cancellationToken);
}
