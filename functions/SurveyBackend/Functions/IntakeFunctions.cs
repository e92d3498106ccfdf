using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SurveyBackend.Intake;

namespace SurveyBackend.Functions;

internal sealed class IntakeFunctions(IntakeEndpoint intake, PendingSweeper sweeper, TombstonePurger purger)
{
    [Function(nameof(SubmitResponse))]
    public Task<IActionResult> SubmitResponse(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "surveys/{surveyId}/responses")] HttpRequest request,
        string surveyId, CancellationToken cancellationToken) =>
        intake.SubmitAsync(request, surveyId, cancellationToken);

    [Function(nameof(SweepPendingSubmissions))]
    public Task SweepPendingSubmissions(
        [TimerTrigger("%" + IntakeWiring.SweepScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        sweeper.SweepAsync(cancellationToken);

    [Function(nameof(PurgeTombstones))]
    public Task PurgeTombstones(
        [TimerTrigger("%" + IntakeWiring.TombstonePurgeScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        purger.PurgeAsync(cancellationToken);
}
