using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SurveyBackend.Intake;
using SurveyBackend.ProofOfWork;

namespace SurveyBackend.Functions;

internal sealed class IntakeFunctions(
    IntakeEndpoints intake, ChallengeEndpoints challenges, PendingSweeper sweeper, TombstonePurger purger, UsedChallengePurger challengePurger)
{
    [Function(nameof(SubmitResponse))]
    [Answers(200, 202, 400, 403, 404, 410, 413, 415, 429, 503)]
    public Task<IActionResult> SubmitResponse(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "surveys/{surveyId}/responses")] HttpRequest request,
        string surveyId, CancellationToken cancellationToken) =>
        intake.SubmitAsync(request, surveyId, cancellationToken);

    [Function(nameof(GetChallenge))]
    [Answers(200, 429)]
    public IActionResult GetChallenge(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "challenge")] HttpRequest request) =>
        challenges.GetChallenge(request);

    [Function(nameof(SweepPendingSubmissions))]
    public Task SweepPendingSubmissions(
        [TimerTrigger(Schedules.IntakeSweep)] TimerInfo timer, CancellationToken cancellationToken) =>
        sweeper.SweepAsync(cancellationToken);

    [Function(nameof(PurgeTombstones))]
    public Task PurgeTombstones(
        [TimerTrigger(Schedules.TombstonePurge)] TimerInfo timer, CancellationToken cancellationToken) =>
        purger.PurgeAsync(cancellationToken);

    [Function(nameof(PurgeUsedChallenges))]
    public Task PurgeUsedChallenges(
        [TimerTrigger(Schedules.ChallengePurge)] TimerInfo timer, CancellationToken cancellationToken) =>
        challengePurger.PurgeAsync(cancellationToken);
}
