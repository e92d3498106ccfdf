using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurveyBackend.Privacy;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;

namespace SurveyBackend.Anonymity;

/// <summary>
/// Writes waiting recipients to the recipients table in batches. Nothing is written until the oldest waiting
/// address has waited <see cref="AnonymityOptions.RecipientDelay"/>; then everything waiting is taken, shuffled,
/// and written in that random order. While submissions are still waiting to be anonymised (a burst in progress),
/// the flush waits longer, up to <see cref="BurstHoldFactor"/> times the delay, so that a burst lands as one batch.
/// The addresses that arrived together (a burst, or a delay's worth of steady traffic) land together, in an order
/// that says nothing about when each one responded.
/// <para>
/// The addresses wait in their survey's partition of the submissions table (<see cref="PendingRecipientStore"/>), so
/// each survey is flushed on its own: the survey ids (one query), then per survey one read of its oldest waiting
/// address, so a flush's cost does not grow with the submissions processed. Every address of a batch is
/// written before any pending row is deleted, so a crash in between leaves rows that the next flush writes again
/// (the add ignores an existing recipient) and then deletes. The timer runs as a singleton; were two flushes ever
/// to overlap, both would write the same recipients and the second delete would find the rows gone, both harmless.
/// </para>
/// </summary>
public sealed class RecipientFlusher(
    SurveyCatalog catalog,
    PendingRecipientStore pending,
    SubmissionBacklog backlog,
    RecipientStore store,
    RecipientSeal seal,
    PrivacyKeys keys,
    IOptions<AnonymityOptions> options,
    TimeProvider clock,
    ILogger<RecipientFlusher> logger)
{
    public const int BurstHoldFactor = 8;
    private const int MaxPerFlush = 5_000;

    /// <summary>
    /// The longest period between two flushes (<c>RecipientFlushSchedule</c>: every 15 minutes in Azure, so that the
    /// idle app stays inside the free grant). The infra tests fail if the deployed schedule is slower.
    /// </summary>
    public static readonly TimeSpan LongestFlushPeriod = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The longest a recipient can take to land after its response: held up to <see cref="BurstHoldFactor"/> ×
    /// the delay during a burst, plus a timer period (nothing is hidden while a flush runs: the rows stay where they
    /// are until written). The mailer waits this long after a survey closes before it calls a mailing complete.
    /// </summary>
    public static TimeSpan LongestLag(AnonymityOptions options) => options.RecipientDelay * BurstHoldFactor + LongestFlushPeriod;

    /// <summary>How many recipients were written, over every survey (0 when no survey's oldest has waited long enough).</summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        var written = 0;
        bool? burst = null;
        foreach (var surveyId in await catalog.ListIdsAsync(cancellationToken))
        {
            var oldest = await pending.OldestWaitingAsync(surveyId, cancellationToken);
            if (oldest is null) continue;
            var waited = clock.GetUtcNow() - oldest.Value;
            var delay = options.Value.RecipientDelay;
            if (waited < delay) continue;
            // One read of the queue per flush, and only when a survey's batch is due.
            burst ??= await backlog.WaitingAsync(cancellationToken) > 0;
            if (waited < delay * BurstHoldFactor && burst.Value) continue;
            written += await FlushSurveyAsync(surveyId, cancellationToken);
        }
        return written;
    }

    private async Task<int> FlushSurveyAsync(string surveyId, CancellationToken cancellationToken)
    {
        var order = (await pending.TakeAsync(surveyId, MaxPerFlush, cancellationToken)).ToArray();
        RandomNumberGenerator.Shuffle<PendingRecipient>(order);

        var written = new ConcurrentBag<string>();
        var unreadable = new ConcurrentBag<PendingRecipient>();
        // A few writers take from the shuffled list: the rows still land in an order unrelated to arrival.
        await Parallel.ForEachAsync(order, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (row, ct) =>
        {
            if (seal.Open(surveyId, row.Sealed) is not { } opened)
            {
                unreadable.Add(row);
                return;
            }
            var (email, language) = SealedRecipient.Split(opened);
            await store.AddAsync(surveyId, keys.ForRecipient(surveyId, email), email, language, ct);
            written.Add(row.RowKey);
        });

        // Only now that every address is written: a crash before this is repaired by the next flush.
        await pending.DeleteAsync(surveyId, written, cancellationToken);
        foreach (var row in unreadable) await pending.MarkUnreadableAsync(row, cancellationToken);
        if (!unreadable.IsEmpty) logger.LogWarning("Set {Count} unreadable pending recipients of survey {SurveyId} aside for an admin (GET /api/admin/poison)", unreadable.Count, surveyId);
        logger.LogInformation("Wrote {Count} report recipients of survey {SurveyId} in random order", written.Count, surveyId);
        return written.Count;
    }
}
