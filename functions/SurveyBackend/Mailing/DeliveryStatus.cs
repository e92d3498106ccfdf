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
    int Recipients,
    int Sent,
    int Failed,
    int Pending,
    int Unsubscribed,
    IReadOnlyList<FailureCount> Failures);

/// <summary>A report's mailing progress, from its deliveries and its survey's recipients.</summary>
public sealed class DeliveryStatus(ReportStore reports, DeliveryStore deliveries, RecipientStore recipients, TimeProvider clock)
{
    /// <summary>Null when there is no report with this id.</summary>
    public async Task<DeliveryStatusView?> ReadAsync(string reportId, CancellationToken cancellationToken)
    {
        if (!Report.IsValidId(reportId)) return null;
        var mailing = await reports.FindMailingAsync(reportId, cancellationToken);
        if (mailing is null) return null;

        var states = new Dictionary<string, Delivery>(StringComparer.Ordinal);
        await foreach (var delivery in deliveries.ListAsync(reportId, cancellationToken)) states[delivery.RecipientKey] = delivery;

        // Recipients the mailer has not met yet (before its first run, or who arrived since) are pending too.
        var notYetRecorded = 0;
        if (!mailing.RecipientsPurged && mailing.Status == MailingStatus.Active)
        {
            await foreach (var recipient in recipients.ListAsync(mailing.SurveyId, cancellationToken))
            {
                if (!states.ContainsKey(recipient.RecipientKey)) notYetRecorded++;
            }
        }

        int Count(DeliveryState state) => states.Values.Count(d => d.State == state);
        var status = mailing.Status == MailingStatus.Complete ? "complete" : mailing.PublishAt > clock.GetUtcNow() ? "scheduled" : "mailing";
        return new DeliveryStatusView(
            reportId, mailing.SurveyId, mailing.PublishAt, status, mailing.CompletedAt, mailing.RecipientsPurged,
            states.Count + notYetRecorded,
            Count(DeliveryState.Sent),
            Count(DeliveryState.Failed),
            Count(DeliveryState.Pending) + notYetRecorded,
            Count(DeliveryState.Unsubscribed),
            [.. states.Values.Where(d => d.State == DeliveryState.Failed)
                .GroupBy(d => d.Reason ?? "unknown")
                .Select(g => new FailureCount(g.Key, g.Count()))
                .OrderByDescending(f => f.Count)]);
    }
}
