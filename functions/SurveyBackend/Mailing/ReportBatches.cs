using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurveyBackend.Reports;
using SurveyBackend.Storage;

namespace SurveyBackend.Mailing;

/// <summary>
/// Mails one report batch by batch, each sent first and marked after (<see cref="ReportMailer"/> says why), and marks
/// the mailing complete once no more recipients can arrive. Its ten dependencies all meet in the batch loop: a further
/// split would only pass the run's state back and forth.
/// </summary>
public sealed class ReportBatches(
    ReportStore reports,
    DeliveryStore deliveries,
    RecipientStore recipients,
    ReportEmailComposer composer,
    IEmailSender sender,
    RecipientArrivals arrivals,
    AddressErasure erasure,
    IOptions<MailingOptions> options,
    TimeProvider clock,
    ILogger<ReportBatches> logger)
{
    private const int MaxRateLimitWaitsPerBatch = 5;

    /// <summary>
    /// The most recipients of one batch found, by splitting, to be refused without being named: past this the refusal is
    /// taken to be the message's, not an address's, and a part refused without a name fails whole. It bounds the calls a
    /// batch of n can cost to 1 + 2 × this × ⌈log2 n⌉ (201 for 1,000).
    /// </summary>
    public const int MaxUnnamedRefusalsPerBatch = 10;

    /// <summary>One recipient still to mail, with their delivery row as it stands.</summary>
    private sealed record Pending(EmailRecipient Recipient, Delivery Delivery);

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
        var unsubscribed = new List<Recipient>();
        var toSend = new List<(Pending Pending, string? Language)>();
        await foreach (var recipient in recipients.ListAsync(report.SurveyId, cancellationToken))
        {
            known.TryGetValue(recipient.RecipientKey, out var current);
            if (current is { State: not DeliveryState.Pending }) continue;
            if (composer.IsUnsubscribed(recipient.Email, suppressed))
            {
                unsubscribed.Add(recipient);
                continue;
            }
            toSend.Add((new Pending(composer.Recipient(recipient.Email, recipient.RecipientKey, recipient.Language),
                current ?? new Delivery(recipient.RecipientKey, DeliveryState.Pending)), recipient.Language));
        }
        // An address on the suppression list is counted here and erased (one that landed after its unsubscribe erased
        // the others, or unsubscribed before erasure existed): its row is written, then made anonymous with the rest.
        await deliveries.SetAsync(report.Id, [.. unsubscribed.Select(r => new Delivery(r.RecipientKey, DeliveryState.Unsubscribed, null, known.GetValueOrDefault(r.RecipientKey)?.Attempts ?? 0))],
            clock.GetUtcNow(), cancellationToken);
        foreach (var recipient in unsubscribed) await erasure.EraseRecipientAsync(recipient, null, cancellationToken);
        run.Unsubscribed += unsubscribed.Count;

        // A batch shares one body (SendGrid personalizations), so batches are made per language: Welsh, English, and
        // those who gave none (both languages, Welsh first).
        foreach (var language in toSend.GroupBy(s => s.Language))
        {
            var content = composer.Content(report, language.Key);
            foreach (var batch in language.Select(s => s.Pending).Chunk(Options.BatchSize))
            {
                if (!await SendBatchAsync(report.Id, content, batch, run, cancellationToken)) return false;
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

    /// <summary>
    /// Sends one batch until each recipient is sent or failed, so that one address cannot sink the rest: a refusal that
    /// names recipients fails them, one that names nothing halves the part (docs/reports-and-mailing.md). Each part is
    /// marked once answered, so at most one is in doubt. False when the run must stop; what is left stays pending.
    /// </summary>
    private async Task<bool> SendBatchAsync(string reportId, EmailContent content, IReadOnlyList<Pending> batch, MailingRun run, CancellationToken cancellationToken)
    {
        var parts = new Stack<IReadOnlyList<Pending>>([batch]);
        var unnamedRefusals = 0;
        while (parts.TryPop(out var part))
        {
            if (clock.GetUtcNow() >= run.Deadline)
            {
                // The budget is spent: whatever is not marked stays pending for the next run.
                run.Stopped = true;
                return false;
            }
            var result = await SendWithRetriesAsync(new EmailBatch(reportId, content, [.. part.Select(p => p.Recipient)]), run, cancellationToken);
            if (result.Status == SendStatus.Accepted)
            {
                await MarkAsync(reportId, part, DeliveryState.Sent, null, cancellationToken);
                run.Sent += part.Count;
                continue;
            }
            if (result.Status != SendStatus.Rejected)
            {
                // Still pending, with the reason; the next run resumes from here.
                await MarkAsync(reportId, [.. part, .. parts.SelectMany(p => p)], DeliveryState.Pending, result.Reason, cancellationToken);
                logger.LogWarning("Report {ReportId}: mailing paused until the next run: {Reason}", reportId, result.Reason);
                run.Stopped = true;
                return false;
            }

            var refused = result.Refused.Where(i => i >= 0 && i < part.Count).ToHashSet();
            var split = refused.Count == 0 && result.NothingNamed && part.Count > 1 && unnamedRefusals < MaxUnnamedRefusalsPerBatch;
            if (split)
            {
                var half = (part.Count + 1) / 2;
                parts.Push([.. part.Skip(half)]);
                parts.Push([.. part.Take(half)]);
                continue;
            }
            var failed = refused.Count > 0 ? [.. part.Where((_, i) => refused.Contains(i))] : part;
            if (refused.Count == 0 && result.NothingNamed && part.Count == 1) unnamedRefusals++;
            await MarkAsync(reportId, failed, DeliveryState.Failed, result.Reason, cancellationToken);
            run.Failed += failed.Count;
            logger.LogWarning("Report {ReportId}: {Count} of a part of {Part} refused: {Reason}", reportId, failed.Count, part.Count, result.Reason);
            if (refused.Count > 0 && refused.Count < part.Count) parts.Push([.. part.Where((_, i) => !refused.Contains(i))]);
        }
        return true;
    }

    private Task MarkAsync(string reportId, IReadOnlyCollection<Pending> part, DeliveryState state, string? reason, CancellationToken cancellationToken) =>
        deliveries.SetAsync(reportId, [.. part.Select(p => p.Delivery with { State = state, Reason = reason, Attempts = p.Delivery.Attempts + 1 })],
            clock.GetUtcNow(), cancellationToken);

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
