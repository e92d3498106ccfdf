using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurveyBackend.Reports;
using SurveyBackend.Storage;

namespace SurveyBackend.Mailing;

/// <summary>
/// Mails one report: its pending recipients in batches, one at a time, each sent first and marked after (see
/// <see cref="ReportMailer"/> for why that bounds duplicates), retrying a batch within the run's budget, and marks
/// the mailing complete once no more recipients can arrive.
/// <para>
/// Nine dependencies, left so: the batch loop is where the report, its deliveries, the recipients, the provider and
/// the clock meet, and a further split (say, the retry loop of <see cref="SendWithRetriesAsync"/>) would only pass the
/// run's state back and forth.
/// </para>
/// </summary>
public sealed class ReportBatches(
    ReportStore reports,
    DeliveryStore deliveries,
    RecipientStore recipients,
    ReportEmailComposer composer,
    IEmailSender sender,
    RecipientArrivals arrivals,
    IOptions<MailingOptions> options,
    TimeProvider clock,
    ILogger<ReportBatches> logger)
{
    private const int MaxRateLimitWaitsPerBatch = 5;

    private MailingOptions Options => options.Value;

    /// <summary>False when the run must stop (budget, rate limit, provider down).</summary>
    public async Task<bool> MailAsync(ReportMailing mailing, HashSet<string> suppressed, MailingRun run, CancellationToken cancellationToken)
    {
        var stored = await reports.FindAsync(mailing.ReportId, cancellationToken);
        if (stored is null) return true;
        var report = Report.FromStored(stored);

        var known = new Dictionary<string, Delivery>(StringComparer.Ordinal);
        await foreach (var delivery in deliveries.ListAsync(report.Id, cancellationToken)) known[delivery.RecipientKey] = delivery;

        // A recipient with no delivery row yet is pending: the recipients table itself is the list still to mail, so
        // nothing needs writing before a send, and a crash at any point leaves the unmarked ones to the next run.
        var unsubscribed = new List<Delivery>();
        var toSend = new List<(EmailRecipient Recipient, Delivery Delivery, string? Language)>();
        await foreach (var recipient in recipients.ListAsync(report.SurveyId, cancellationToken))
        {
            known.TryGetValue(recipient.RecipientKey, out var current);
            if (current is { State: not DeliveryState.Pending }) continue;
            if (composer.IsUnsubscribed(recipient.Email, suppressed))
            {
                unsubscribed.Add(new Delivery(recipient.RecipientKey, DeliveryState.Unsubscribed, null, current?.Attempts ?? 0));
                continue;
            }
            toSend.Add((composer.Recipient(recipient.Email, recipient.RecipientKey, recipient.Language),
                current ?? new Delivery(recipient.RecipientKey, DeliveryState.Pending), recipient.Language));
        }
        await deliveries.SetAsync(report.Id, unsubscribed, clock.GetUtcNow(), cancellationToken);
        run.Unsubscribed += unsubscribed.Count;

        // A batch shares one body (SendGrid personalizations), so batches are made per language: Welsh, English, and
        // those who gave none (both languages, Welsh first).
        foreach (var language in toSend.GroupBy(s => s.Language))
        {
            var content = composer.Content(report, language.Key);
            foreach (var batch in language.Chunk(Options.BatchSize))
            {
                if (clock.GetUtcNow() >= run.Deadline)
                {
                    run.Stopped = true;
                    return false;
                }
                var result = await SendWithRetriesAsync(new EmailBatch(report.Id, content, [.. batch.Select(b => b.Recipient)]), run, cancellationToken);
                var attempted = batch.Select(b => b.Delivery with { Attempts = b.Delivery.Attempts + 1 });
                switch (result.Status)
                {
                    case SendStatus.Accepted:
                        await deliveries.SetAsync(report.Id, [.. attempted.Select(d => d with { State = DeliveryState.Sent, Reason = null })], clock.GetUtcNow(), cancellationToken);
                        run.Sent += batch.Length;
                        break;
                    case SendStatus.Rejected:
                        await deliveries.SetAsync(report.Id, [.. attempted.Select(d => d with { State = DeliveryState.Failed, Reason = result.Reason })], clock.GetUtcNow(), cancellationToken);
                        run.Failed += batch.Length;
                        logger.LogWarning("Report {ReportId}: a batch of {Count} was refused: {Reason}", report.Id, batch.Length, result.Reason);
                        break;
                    default:
                        // Still pending, with the reason; the next run resumes from here.
                        await deliveries.SetAsync(report.Id, [.. attempted.Select(d => d with { State = DeliveryState.Pending, Reason = result.Reason })], clock.GetUtcNow(), cancellationToken);
                        logger.LogWarning("Report {ReportId}: mailing paused until the next run: {Reason}", report.Id, result.Reason);
                        run.Stopped = true;
                        return false;
                }
            }
        }

        // Complete once no more recipients can arrive: the survey is closed and the longest a recipient can lag has passed.
        var now = clock.GetUtcNow();
        if (!await arrivals.MoreMayArriveAsync(report.SurveyId, now, cancellationToken))
        {
            await reports.MarkCompleteAsync(report.Id, now, cancellationToken);
            run.ReportsCompleted++;
            logger.LogInformation("Report {ReportId}: mailing complete", report.Id);
        }
        return true;
    }

    private async Task<SendResult> SendWithRetriesAsync(EmailBatch batch, MailingRun run, CancellationToken cancellationToken)
    {
        var rateLimitWaits = 0;
        for (var attempt = 1; ; attempt++)
        {
            run.Requests++;
            var result = await sender.SendAsync(batch, cancellationToken);
            TimeSpan wait;
            switch (result.Status)
            {
                case SendStatus.RateLimited:
                    wait = result.RetryAfter ?? Options.RetryDelay;
                    if (++rateLimitWaits > MaxRateLimitWaitsPerBatch || wait > Options.MaxRateLimitWait) return result;
                    attempt--;
                    break;
                case SendStatus.Transient:
                    if (attempt >= Options.MaxAttemptsPerRun) return result;
                    wait = Options.RetryDelay * Math.Pow(2, attempt - 1);
                    break;
                default:
                    return result;
            }
            if (clock.GetUtcNow() + wait >= run.Deadline) return result;
            logger.LogInformation("Report {ReportId}: {Status}, trying the batch again in {Wait}", batch.ReportId, result.Status, wait);
            await Task.Delay(wait, clock, cancellationToken);
        }
    }
}
