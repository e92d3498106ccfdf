using Microsoft.Extensions.Logging;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;

namespace SurveyBackend.Mailing;

/// <summary>
/// Deletes a survey's report addresses (recipients, pool, delivery rows; one row of counts per report stays) once
/// <see cref="RetentionPolicy"/> says so, at the end of every mailer run under its lease. It reads no row per response,
/// so a run costs the same however many answered (docs/reports-and-mailing.md, "Retention").
/// </summary>
public sealed class RecipientRetention(
    SurveyCatalog catalog,
    ReportStore reports,
    RecipientStore recipients,
    DeliveryStore deliveries,
    PendingRecipientStore pool,
    RetentionPolicy policy,
    TimeProvider clock,
    ILogger<RecipientRetention> logger)
{
    /// <summary>The failure reason counted for a recipient whose address was deleted before the report reached them.</summary>
    public const string NotSentReason = "Not sent: the address was deleted under the retention rule first.";

    // Longer than any address takes to land after its response is accepted (anonymised within minutes).
    private static readonly TimeSpan ArrivalMargin = TimeSpan.FromDays(1);

    public async Task PurgeExpiredAsync(MailingRun run, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var bySurvey = (await reports.ListMailingsAsync(cancellationToken)).ToLookup(m => m.SurveyId, StringComparer.Ordinal);
        var marks = await reports.ListRetentionMarksAsync(cancellationToken);
        foreach (var surveyId in await catalog.ListIdsAsync(cancellationToken))
        {
            if (await catalog.FindAsync(surveyId, cancellationToken) is not { } survey) continue;
            var mark = marks.GetValueOrDefault(surveyId);
            if (mark?.OpenSeenAt is null && survey.Definition is { OpensAt: null, ClosesAt: null } && survey.Definition.IsTakingSubmissions(now))
            {
                // A survey with neither date: its period counts from the first time it was seen open.
                mark = (mark ?? new RetentionMark(null, null)) with { OpenSeenAt = now };
                await reports.SetRetentionMarkAsync(surveyId, mark, cancellationToken);
            }
            if (policy.DeadlineFor(survey.Definition, bySurvey[surveyId], mark, survey.SavedAt) is not { } deadline || deadline > now) continue;
            if (NothingCanHaveArrived(survey, mark)) continue;

            var deleted = await PurgeSurveyAsync(surveyId, bySurvey[surveyId], cancellationToken);
            await reports.SetRetentionMarkAsync(surveyId, (mark ?? new RetentionMark(null, null)) with { PurgedAt = now }, cancellationToken);
            run.RecipientsPurged += deleted;
            if (deleted > 0) logger.LogInformation("Survey {SurveyId}: {Count} report addresses deleted, past their retention ({Deadline})", surveyId, deleted, deadline);
        }
    }

    /// <summary>
    /// Its reports are taken out of the mailing first (so nobody is mailed again once their delivery rows are gone), then
    /// their deliveries are counted and deleted, then the addresses: a crash at any point is finished by the next run.
    /// </summary>
    private async Task<int> PurgeSurveyAsync(string surveyId, IEnumerable<ReportMailing> surveyReports, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var recipient in recipients.ListAsync(surveyId, cancellationToken)) keys.Add(recipient.RecipientKey);
        var all = surveyReports.ToList();
        foreach (var report in all)
        {
            if (report.Status == MailingStatus.Active) await reports.MarkCompleteAsync(report.ReportId, now, cancellationToken);
            if (!report.RecipientsPurged) await reports.MarkPurgedAsync(report.ReportId, now, cancellationToken);
        }
        foreach (var report in all) await deliveries.CompactAsync(report.ReportId, keys, NotSentReason, cancellationToken);
        return await recipients.DeleteAllAsync(surveyId, cancellationToken) + await pool.DeleteAllAsync(surveyId, cancellationToken);
    }

    /// <summary>Its addresses were deleted after it stopped taking submissions and the last of them could land: none is left to find.</summary>
    private static bool NothingCanHaveArrived(PublishedSurvey survey, RetentionMark? mark) =>
        mark?.PurgedAt is { } purged && StoppedAt(survey) is { } stopped && purged >= stopped + ArrivalMargin;

    private static DateTimeOffset? StoppedAt(PublishedSurvey survey) => survey.Definition switch
    {
        { Status: SurveyStatus.Closed, ClosesAt: { } closesAt } => survey.SavedAt is { } saved && saved < closesAt ? saved : closesAt,
        { Status: SurveyStatus.Closed } => survey.SavedAt,
        { ClosesAt: { } closesAt } => closesAt,
        _ => null,
    };
}
