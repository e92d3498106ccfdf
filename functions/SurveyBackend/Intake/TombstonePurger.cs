using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;

namespace SurveyBackend.Intake;

/// <summary>
/// Deletes a survey's tombstones (the key rows that keep intake idempotent) once it has been closed for
/// <see cref="IntakeOptions.TombstoneRetention"/>: by then a late retry is refused with 410 before its key is looked
/// at, so the key guards nothing. A run reads each survey's definition and, for a survey past its retention, only
/// the key rows still there: a purged survey costs one empty range query, and nothing re-reads history.
/// <para>Reopening a survey whose tombstones are gone would let a retry of an old submission count again; a survey
/// that must run again should be a new survey.</para>
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
