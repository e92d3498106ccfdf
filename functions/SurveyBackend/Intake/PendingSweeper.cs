using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;

namespace SurveyBackend.Intake;

/// <summary>
/// Re-sends rows still Pending after <see cref="IntakeOptions.SweepAge"/> (an enqueue failed, an instance died), marked on
/// their ETag, so a crash costs a duplicate, never a submission; and removes addresses kept past their day. It reads only
/// pending rows, so its cost does not grow with history (docs/intake.md, "Nothing lost, nothing half-written").
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
