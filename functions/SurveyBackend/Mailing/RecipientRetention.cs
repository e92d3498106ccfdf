using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurveyBackend.Storage;

namespace SurveyBackend.Mailing;

/// <summary>Deletes recipients' addresses once their survey's mailings are complete and the retention has passed.</summary>
public sealed class RecipientRetention(
    ReportStore reports, RecipientStore recipients, IOptions<MailingOptions> options, TimeProvider clock, ILogger<RecipientRetention> logger)
{
    /// <summary>
    /// Deletes a survey's recipient addresses <see cref="MailingOptions.RetentionDays"/> after its report's mailing
    /// completed, once no other report of that survey is still mailing. Delivery rows keep only keyed hashes.
    /// </summary>
    public async Task PurgeExpiredAsync(MailingRun run, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var mailings = await reports.ListUnpurgedAsync(cancellationToken);
        var expired = mailings.Where(m => m.Status == MailingStatus.Complete && m.CompletedAt is { } at && at + TimeSpan.FromDays(options.Value.RetentionDays) <= now);
        foreach (var mailing in expired)
        {
            if (mailings.Any(m => m.SurveyId == mailing.SurveyId && m.Status == MailingStatus.Active)) continue;
            var keys = new List<string>();
            await foreach (var recipient in recipients.ListAsync(mailing.SurveyId, cancellationToken)) keys.Add(recipient.RecipientKey);
            foreach (var key in keys) await recipients.DeleteAsync(mailing.SurveyId, key, cancellationToken);
            await reports.MarkPurgedAsync(mailing.ReportId, now, cancellationToken);
            run.RecipientsPurged += keys.Count;
            logger.LogInformation("Report {ReportId}: {Count} recipient addresses deleted after retention", mailing.ReportId, keys.Count);
        }
    }

}
