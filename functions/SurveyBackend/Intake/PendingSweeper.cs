using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurveyBackend.Storage;

namespace SurveyBackend.Intake;

/// <summary>
/// Re-sends the queue message of every raw row still Pending after <see cref="IntakeOptions.SweepAge"/>:
/// the rows whose enqueue failed (or whose instance died) after the row was written. Send first, then mark,
/// so a crash in between costs a duplicate message (processing is idempotent), never a lost submission.
/// </summary>
public sealed class PendingSweeper(
    SubmissionStore store,
    ISubmissionQueue queue,
    IOptions<IntakeOptions> options,
    TimeProvider clock,
    ILogger<PendingSweeper> logger)
{
    /// <summary>Sweeps once; returns how many messages it sent.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow() - options.Value.SweepAge;
        var sent = 0;
        await foreach (var row in store.FindPendingAsync(before, cancellationToken))
        {
            if (row.SubmissionId is null)
            {
                logger.LogError("A pending submission of survey {SurveyId} has no submission id and cannot be re-sent", row.SurveyId);
                continue;
            }
            await queue.SendAsync(new SubmissionMessage(row.SurveyId, row.SubmissionId), cancellationToken);
            await store.MarkEnqueuedAsync(row.SurveyId, row.SubmissionKey, row.ETag, cancellationToken);
            sent++;
            logger.LogInformation("Swept submission {Receipt} for survey {SurveyId} onto the queue", IntakeService.Prefix(row.SubmissionId), row.SurveyId);
        }
        if (sent > 0) logger.LogWarning("The sweeper re-sent {Count} pending submissions", sent);
        return sent;
    }
}
