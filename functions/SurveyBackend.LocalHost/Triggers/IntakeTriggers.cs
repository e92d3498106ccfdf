using Microsoft.Azure.WebJobs;
using SurveyBackend.Functions;

namespace SurveyBackend.LocalHost.Triggers;

/// <summary>The intake sweeper's, the tombstone purge's and the used challenges' purge's timers on the WebJobs SDK, calling the app's own functions.</summary>
public sealed class IntakeTriggers(IServiceProvider services)
{
    [FunctionName(nameof(IntakeFunctions.SweepPendingSubmissions))]
    public Task SweepPendingSubmissions([TimerTrigger(Schedules.IntakeSweep)] TimerInfo timer, CancellationToken cancellationToken) =>
        services.Function<IntakeFunctions>().SweepPendingSubmissions(new Microsoft.Azure.Functions.Worker.TimerInfo(), cancellationToken);

    [FunctionName(nameof(IntakeFunctions.PurgeTombstones))]
    public Task PurgeTombstones([TimerTrigger(Schedules.TombstonePurge)] TimerInfo timer, CancellationToken cancellationToken) =>
        services.Function<IntakeFunctions>().PurgeTombstones(new Microsoft.Azure.Functions.Worker.TimerInfo(), cancellationToken);

    [FunctionName(nameof(IntakeFunctions.PurgeUsedChallenges))]
    public Task PurgeUsedChallenges([TimerTrigger(Schedules.ChallengePurge)] TimerInfo timer, CancellationToken cancellationToken) =>
        services.Function<IntakeFunctions>().PurgeUsedChallenges(new Microsoft.Azure.Functions.Worker.TimerInfo(), cancellationToken);
}
