using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurveyBackend.Anonymity;
using SurveyBackend.Storage;

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
/// Split by seam: this class is the run (lease, due reports, retention); <see cref="ReportBatches"/> mails one report
/// batch by batch; <see cref="ReportEmailComposer"/> makes the message and each recipient's own parts;
/// <see cref="RecipientRetention"/> deletes addresses after retention.
/// </para>
/// <para>
/// Runs are resumable and never overlap: each takes a lease row (ETag-conditional) for its time budget, so a
/// timer that fires late or twice finds the lease held and does nothing; the next run picks up the pending rows.
/// </para>
/// </summary>
public sealed class ReportMailer(
    ReportStore reports,
    UnsubscribeStore unsubscribes,
    ReportBatches batches,
    RecipientRetention retention,
    RecipientFlusher flusher,
    IOptions<MailingOptions> options,
    TimeProvider clock,
    ILogger<ReportMailer> logger)
{
    // The lease outlives the budget by this much, so a run that overruns a little (a slow last call) is not joined.
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromMinutes(1);

    public Task<MailingRun> RunAsync(CancellationToken cancellationToken) => RunAsync(options.Value.RunBudget, cancellationToken);

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
                // All at once for a mailing: whatever still waits is written before the report is sent (docs/anonymity.md).
                await flusher.FlushForMailingAsync(mailing.SurveyId, mailing.ReportId, cancellationToken);
                if (!await batches.MailAsync(mailing, suppressed, run, cancellationToken)) break;
            }
            await retention.PurgeExpiredAsync(run, cancellationToken);
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
}
