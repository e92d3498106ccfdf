using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurveyBackend.Storage;

namespace SurveyBackend.Anonymity;

/// <summary>
/// Writes waiting recipients to the recipients table in batches. Nothing is written until the oldest waiting
/// address has waited <see cref="AnonymityOptions.RecipientDelay"/>; then everything waiting is taken, shuffled,
/// and written in that random order. While submissions are still waiting to be anonymised (a burst in progress),
/// the flush waits longer, up to <see cref="BurstHoldFactor"/> times the delay, so that a burst lands as one batch.
/// The addresses that arrived together (a burst, or a delay's worth of steady traffic) land together, in an order
/// that says nothing about when each one responded.
/// </summary>
public sealed class RecipientFlusher(
    RecipientQueue queue,
    RecipientStore store,
    RecipientSeal seal,
    SubmissionKeys keys,
    IOptions<AnonymityOptions> options,
    TimeProvider clock,
    ILogger<RecipientFlusher> logger)
{
    public const int BurstHoldFactor = 8;
    private const int MaxPerFlush = 5_000;
    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The longest a recipient can take to land after its response: held up to <see cref="BurstHoldFactor"/> ×
    /// the delay during a burst, plus a taken batch's hold and a timer tick. The mailer waits this long after a
    /// survey closes before it calls a mailing complete.
    /// </summary>
    public static TimeSpan LongestLag(AnonymityOptions options) => options.RecipientDelay * BurstHoldFactor + Hold + TimeSpan.FromMinutes(1);

    /// <summary>How many recipients were written (0 when the oldest has not waited long enough).</summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        var oldest = await queue.OldestWaitingAsync(cancellationToken);
        if (oldest is null) return 0;
        var waited = clock.GetUtcNow() - oldest.Value;
        var delay = options.Value.RecipientDelay;
        if (waited < delay) return 0;
        if (waited < delay * BurstHoldFactor && await queue.SubmissionsWaitingAsync(cancellationToken) > 0) return 0;

        var taken = await queue.TakeAsync(MaxPerFlush, Hold, cancellationToken);
        var order = taken.ToArray();
        RandomNumberGenerator.Shuffle<PendingRecipient>(order);

        var written = 0;
        var unreadable = 0;
        // A few writers take from the shuffled list: the rows still land in an order unrelated to arrival.
        await Parallel.ForEachAsync(order, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (pending, ct) =>
        {
            var email = pending.Message is { } message ? seal.Open(message.SurveyId, message.Sealed) : null;
            if (email is null)
            {
                await queue.MoveToPoisonAsync(pending, ct);
                Interlocked.Increment(ref unreadable);
                return;
            }
            await store.AddAsync(pending.Message!.SurveyId, keys.Hash("recipient", pending.Message.SurveyId, email), email, ct);
            await queue.DeleteAsync(pending, ct);
            Interlocked.Increment(ref written);
        });
        if (unreadable > 0) logger.LogWarning("Moved {Count} unreadable recipient messages to the poison queue", unreadable);
        logger.LogInformation("Wrote {Count} report recipients in random order", written);
        return written;
    }
}
