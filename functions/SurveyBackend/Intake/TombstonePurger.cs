using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;

namespace SurveyBackend.Intake;

/// <summary>
/// Deletes a survey's tombstones once it has been closed for <see cref="IntakeOptions.TombstoneRetention"/>, when a late
/// retry is refused with 410 before its key is looked at. Reopening such a survey would let an old retry count again: a
/// survey that must run again should be a new survey (docs/intake.md).
/// </summary>
public sealed class TombstonePurger(
    SurveyCatalog catalog,
    SubmissionStore store,
    IOptions<IntakeOptions> options,
    TimeProvider clock,
    ILogger<TombstonePurger> logger)
{
    /// <summary>Purges once; returns how many tombstones it deleted.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var deleted = 0;
        foreach (var surveyId in await catalog.ListIdsAsync(cancellationToken))
        {
            if (await catalog.FindAsync(surveyId, cancellationToken) is not { } survey) continue;
            if (ClosedSince(survey, now) is not { } closed || now - closed < options.Value.TombstoneRetention) continue;
            var count = await store.DeleteKeysAsync(surveyId, cancellationToken);
            if (count > 0) logger.LogInformation("Deleted {Count} tombstones of survey {SurveyId}, closed since {Closed}", count, surveyId, closed);
            deleted += count;
        }
        return deleted;
    }

    /// <summary>
    /// Since when a survey has taken no submissions: its <c>closesAt</c> once passed; for a survey closed by its status,
    /// the save that closed it (or a later one, which only delays the purge). Null while it is open, not yet open, or a draft.
    /// </summary>
    public static DateTimeOffset? ClosedSince(PublishedSurvey survey, DateTimeOffset now) => survey.Definition switch
    {
        { ClosesAt: { } closesAt } when closesAt <= now => closesAt,
        { Status: SurveyStatus.Closed } => survey.SavedAt,
        _ => null,
    };
}
