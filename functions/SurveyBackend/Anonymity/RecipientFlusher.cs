using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurveyBackend.Storage;

namespace SurveyBackend.Anonymity;

/// <summary>
/// Writes waiting recipients to the recipients table in batches. Nothing is written until the oldest waiting
/// address has waited <see cref="AnonymityOptions.RecipientDelay"/>; then everything waiting is taken, shuffled,
/// and written in that random order. The addresses that arrived together (a burst shorter than the delay, or an
/// hour of steady traffic) land together in an order that says nothing about when each one responded.
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
    private const int MaxPerFlush = 5_000;
    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(5);

    /// <summary>How many recipients were written (0 when the oldest has not waited long enough).</summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        var oldest = await queue.OldestWaitingAsync(cancellationToken);
        if (oldest is null || clock.GetUtcNow() - oldest < options.Value.RecipientDelay) return 0;

        var taken = await queue.TakeAsync(MaxPerFlush, Hold, cancellationToken);
        var order = taken.ToArray();
        RandomNumberGenerator.Shuffle<PendingRecipient>(order);

        var written = 0;
        var unreadable = 0;
        foreach (var pending in order)
        {
            var email = pending.Message is { } message ? seal.Open(message.SurveyId, message.Sealed) : null;
            if (email is null)
            {
                await queue.MoveToPoisonAsync(pending, cancellationToken);
                unreadable++;
                continue;
            }
            await store.AddAsync(pending.Message!.SurveyId, keys.Hash("recipient", pending.Message.SurveyId, email), email, cancellationToken);
            await queue.DeleteAsync(pending, cancellationToken);
            written++;
        }
        if (unreadable > 0) logger.LogWarning("Moved {Count} unreadable recipient messages to the poison queue", unreadable);
        logger.LogInformation("Wrote {Count} report recipients in random order", written);
        return written;
    }
}
