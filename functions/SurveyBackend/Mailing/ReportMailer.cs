using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurveyBackend.Anonymity;
using SurveyBackend.Reports;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;

namespace SurveyBackend.Mailing;

/// <summary>What one mailer run did (for logs, tests and the benchmark).</summary>
public sealed class MailingRun(DateTimeOffset deadline)
{
    public DateTimeOffset Deadline { get; } = deadline;
    /// <summary>Another run held the lease: this one did nothing.</summary>
    public bool Skipped { get; set; }
    public int Requests { get; set; }
    public int Sent { get; set; }
    public int Failed { get; set; }
    public int Unsubscribed { get; set; }
    /// <summary>The run stopped early (budget spent, rate limit, provider down); the next run resumes.</summary>
    public bool Stopped { get; set; }
    public int ReportsCompleted { get; set; }
    public int RecipientsPurged { get; set; }
}

/// <summary>
/// Mails each published report to every recipient of its survey who has not had it and has not unsubscribed.
/// <para>
/// Exactly-once in normal running, at-least-once after a crash: a recipient is pending until a row says
/// otherwise, and each batch is sent first and only afterwards marked sent. A crash (or a timeout SendGrid in fact accepted)
/// between the send and the mark leaves that one batch pending, and the next run sends it again: no recipient
/// is ever missed, and duplicates are bounded by one batch (<see cref="MailingOptions.BatchSize"/>, at most
/// 1,000) per crash or timeout. Batches are sent one at a time, so there is never more than one in doubt.
/// </para>
/// <para>
/// Runs are resumable and never overlap: each takes a lease row (ETag-conditional) for its time budget, so a
/// timer that fires late or twice finds the lease held and does nothing; the next run picks up the pending rows.
/// </para>
/// </summary>
public sealed class ReportMailer(
    ReportStore reports,
    DeliveryStore deliveries,
    RecipientStore recipients,
    UnsubscribeStore unsubscribes,
    SurveyCatalog catalog,
    ReportRenderer renderer,
    ReportPublisher publisher,
    UnsubscribeTokens tokens,
    IEmailSender sender,
    IOptions<MailingOptions> options,
    IOptions<ReportOptions> reportOptions,
    IOptions<AnonymityOptions> anonymity,
    TimeProvider clock,
    ILogger<ReportMailer> logger)
{
    // The lease outlives the budget by this much, so a run that overruns a little (a slow last call) is not joined.
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromMinutes(1);
    private const int MaxRateLimitWaitsPerBatch = 5;

    private MailingOptions Options => options.Value;

    public Task<MailingRun> RunAsync(CancellationToken cancellationToken) => RunAsync(Options.RunBudget, cancellationToken);

    public async Task<MailingRun> RunAsync(TimeSpan budget, CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        var run = new MailingRun(started + budget);
        var owner = Guid.NewGuid().ToString("N");
        if (!await reports.TryAcquireMailerLeaseAsync(owner, started, run.Deadline + LeaseMargin, cancellationToken))
        {
            logger.LogInformation("Report mailing skipped: another run holds the lease");
            run.Skipped = true;
            return run;
        }
        try
        {
            var suppressed = await unsubscribes.LoadAllAsync(cancellationToken);
            var due = (await reports.ListUnpurgedAsync(cancellationToken))
                .Where(m => m.Status == MailingStatus.Active && m.PublishAt <= clock.GetUtcNow())
                .OrderBy(m => m.PublishAt);
            foreach (var mailing in due)
            {
                if (!await MailReportAsync(mailing, suppressed, run, cancellationToken)) break;
            }
            await PurgeExpiredAsync(run, cancellationToken);
        }
        finally
        {
            await reports.ReleaseMailerLeaseAsync(owner, CancellationToken.None);
        }
        logger.LogInformation(
            "Report mailing run: {Requests} requests, {Sent} sent, {Failed} failed, {Unsubscribed} unsubscribed, stopped early {Stopped}, in {Elapsed}",
            run.Requests, run.Sent, run.Failed, run.Unsubscribed, run.Stopped, clock.GetUtcNow() - started);
        return run;
    }

    /// <summary>False when the run must stop (budget, rate limit, provider down).</summary>
    private async Task<bool> MailReportAsync(ReportMailing mailing, HashSet<string> suppressed, MailingRun run, CancellationToken cancellationToken)
    {
        var stored = await reports.FindAsync(mailing.ReportId, cancellationToken);
        if (stored is null) return true;
        var report = Report.FromStored(stored);

        var known = new Dictionary<string, Delivery>(StringComparer.Ordinal);
        await foreach (var delivery in deliveries.ListAsync(report.Id, cancellationToken)) known[delivery.RecipientKey] = delivery;

        // A recipient with no delivery row yet is pending: the recipients table itself is the list still to mail, so
        // nothing needs writing before a send, and a crash at any point leaves the unmarked ones to the next run.
        var unsubscribed = new List<Delivery>();
        var toSend = new List<(EmailRecipient Recipient, Delivery Delivery)>();
        await foreach (var recipient in recipients.ListAsync(report.SurveyId, cancellationToken))
        {
            known.TryGetValue(recipient.RecipientKey, out var current);
            if (current is { State: not DeliveryState.Pending }) continue;
            if (suppressed.Contains(tokens.AddressKey(recipient.Email)))
            {
                unsubscribed.Add(new Delivery(recipient.RecipientKey, DeliveryState.Unsubscribed, null, current?.Attempts ?? 0));
                continue;
            }
            toSend.Add((new EmailRecipient(recipient.Email, recipient.RecipientKey, UnsubscribeUrl(recipient.Email)),
                current ?? new Delivery(recipient.RecipientKey, DeliveryState.Pending)));
        }
        await deliveries.SetAsync(report.Id, unsubscribed, clock.GetUtcNow(), cancellationToken);
        run.Unsubscribed += unsubscribed.Count;

        if (toSend.Count > 0)
        {
            var content = renderer.RenderEmail(report, publisher.PageUrl(report.Id));
            foreach (var batch in toSend.Chunk(Options.BatchSize))
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
        var survey = await catalog.FindAsync(report.SurveyId, cancellationToken);
        var moreMayArrive = survey is not null
            && (survey.Definition.IsTakingSubmissions(now) || survey.Definition.IsTakingSubmissions(now - RecipientFlusher.LongestLag(anonymity.Value)));
        if (!moreMayArrive)
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

    /// <summary>
    /// Deletes a survey's recipient addresses <see cref="MailingOptions.RetentionDays"/> after its report's mailing
    /// completed, once no other report of that survey is still mailing. Delivery rows keep only keyed hashes.
    /// </summary>
    private async Task PurgeExpiredAsync(MailingRun run, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var mailings = await reports.ListUnpurgedAsync(cancellationToken);
        var expired = mailings.Where(m => m.Status == MailingStatus.Complete && m.CompletedAt is { } at && at + TimeSpan.FromDays(Options.RetentionDays) <= now);
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

    private string UnsubscribeUrl(string email) => reportOptions.Value.Link("unsubscribe?token=" + tokens.Create(email));
}
