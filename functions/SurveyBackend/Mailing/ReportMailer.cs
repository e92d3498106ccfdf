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
/// One mailer run: takes the lease (so runs never overlap), mails each due report once its waiting addresses are
/// written (<see cref="ReportBatches"/>), then applies retention. Each batch is sent before it is marked, so a crash
/// between the two sends one batch again rather than missing anyone (docs/reports-and-mailing.md, "At most once").
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
