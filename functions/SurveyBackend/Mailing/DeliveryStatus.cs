using SurveyBackend.Reports;
using SurveyBackend.Storage;

namespace SurveyBackend.Mailing;

public sealed record FailureCount(string Reason, int Count);

/// <summary>The body of <c>GET /api/admin/reports/{reportId}/deliveries</c>: counts only, never an address.</summary>
public sealed record DeliveryStatusView(
    string ReportId,
    string SurveyId,
    DateTimeOffset PublishAt,
    string Status,
    DateTimeOffset? CompletedAt,
    bool RecipientsPurged,
    bool Final,
    DateTimeOffset? AddressesDeletedBy,
    int Recipients,
    int Sent,
    int Failed,
    int Pending,
    int Unsubscribed,
    IReadOnlyList<FailureCount> Failures);

/// <summary>A report's mailing progress, from its deliveries and its survey's recipients.</summary>
public sealed class DeliveryStatus(ReportStore reports, DeliveryStore deliveries, RecipientStore recipients, RetentionPolicy retention, TimeProvider clock)
{
    /// <summary>Null when there is no report with this id.</summary>
    public async Task<DeliveryStatusView?> ReadAsync(string reportId, CancellationToken cancellationToken)
    {
        if (!Report.IsValidId(reportId)) return null;
        var mailing = await reports.FindMailingAsync(reportId, cancellationToken);
        if (mailing is null) return null;

        var status = mailing.Status == MailingStatus.Complete ? "complete" : mailing.PublishAt > clock.GetUtcNow() ? "scheduled" : "mailing";
        var deletedBy = mailing.RecipientsPurged ? null : await retention.DeadlineAsync(mailing.SurveyId, cancellationToken);
        DeliveryStatusView View(DeliveryCounts counts) => new(
            reportId, mailing.SurveyId, mailing.PublishAt, status, mailing.CompletedAt, mailing.RecipientsPurged, mailing.Final, deletedBy,
            counts.Recipients, counts.Sent, counts.Failed, counts.Pending, counts.Unsubscribed,
            [.. counts.Failures.Select(f => new FailureCount(f.Key, f.Value)).OrderByDescending(f => f.Count).ThenBy(f => f.Reason, StringComparer.Ordinal)]);

        // Once its addresses are deleted, a report's deliveries are one row of counts.
        if (mailing.RecipientsPurged && await deliveries.FindCountsAsync(reportId, cancellationToken) is { } kept) return View(kept);

        var states = new Dictionary<string, Delivery>(StringComparer.Ordinal);
        await foreach (var delivery in deliveries.ListAsync(reportId, cancellationToken)) states[delivery.RecipientKey] = delivery;

        // Recipients the mailer has not met yet (before its first run, or who arrived since) are pending too.
        var notYetRecorded = new List<Delivery>();
        if (!mailing.RecipientsPurged && mailing.Status == MailingStatus.Active)
        {
            await foreach (var recipient in recipients.ListAsync(mailing.SurveyId, cancellationToken))
            {
                if (!states.ContainsKey(recipient.RecipientKey)) notYetRecorded.Add(new Delivery(recipient.RecipientKey, DeliveryState.Pending));
            }
        }
        return View(DeliveryCounts.Of(states.Values.Concat(notYetRecorded)));
    }
}
