using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;

namespace SurveyBackend.Intake;

/// <summary>
/// Re-sends the queue message of every raw row still Pending (not yet processed) after
/// <see cref="IntakeOptions.SweepAge"/>: above all the rows whose enqueue failed, or whose instance died, after
/// the row was written. A row whose message is merely waiting in a backlog gets a second message, which
/// processing ignores. Send, then mark the row Enqueued with the time (against its ETag, so a row the anonymiser
/// finished meanwhile is left alone); a crash in between costs a duplicate, never a lost submission. A row still
/// unprocessed a sweep age after its re-send is re-sent again, at most <see cref="SubmissionStore.MaxSweeps"/> times:
/// the re-sent message may have been taken by an instance that died, and would be invisible for the queue's lease.
/// <para>A sweep reads what is pending and nothing else: the survey ids (one query), then per survey one range query
/// over its pending rows (<see cref="SubmissionStore"/>), so its cost does not grow with the submissions processed.</para>
/// <para>It also removes the address from a pending row left unprocessed past its <c>KeepAddressUntil</c> (the day
/// <see cref="IntakeOptions.PendingRetention"/> after it arrived; one more range query over the pending rows per
/// survey): its answers stay for a replay.</para>
/// </summary>
public sealed class PendingSweeper(
    SurveyCatalog catalog,
    SubmissionStore store,
    ISubmissionQueue queue,
    IOptions<IntakeOptions> options,
    TimeProvider clock,
    ILogger<PendingSweeper> logger)
{
    /// <summary>Sweeps once; returns how many messages it sent.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var before = now - options.Value.SweepAge;
        var sent = 0;
        foreach (var surveyId in await catalog.ListIdsAsync(cancellationToken))
        {
            await foreach (var row in store.FindPendingAsync(surveyId, before, cancellationToken))
            {
                if (row.SubmissionId is null)
                {
                    logger.LogError("A pending submission of survey {SurveyId} has no submission id and cannot be re-sent", row.SurveyId);
                    continue;
                }
                await queue.SendAsync(new SubmissionMessage(row.SurveyId, row.SubmissionId), cancellationToken);
                await store.MarkEnqueuedAsync(row, cancellationToken);
                sent++;
                logger.LogInformation("Swept submission {Receipt} for survey {SurveyId} onto the queue", IntakeService.Prefix(row.SubmissionId), row.SurveyId);
            }
            var removed = await store.RemoveAddressesAsync(surveyId, now, options.Value.PendingRetention, cancellationToken);
            if (removed > 0) logger.LogWarning("Removed the report address of {Count} submissions of survey {SurveyId} never processed", removed, surveyId);
        }
        if (sent > 0) logger.LogWarning("The sweeper re-sent {Count} pending submissions", sent);
        return sent;
    }
}
