using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using SurveyBackend.Web;

namespace SurveyBackend.Storage;

/// <summary>
/// On the <c>recipients</c> queue: an address that asked for the report, sealed under the app's secret, and the
/// survey it is for. No submission id, no response key, nothing that points at the response.
/// </summary>
public sealed record RecipientMessage(string SurveyId, string Sealed);

/// <summary>A recipient message taken off the queue, with what it takes to delete it.</summary>
public sealed record PendingRecipient(RecipientMessage? Message, string MessageId, string PopReceipt, string RawText);

/// <summary>
/// The <c>recipients</c> queue as a holding pool: sealed addresses wait here until they are written, all at
/// once and in random order, to the recipients table (see <c>RecipientFlusher</c>).
/// </summary>
public sealed class RecipientQueue(QueueServiceClient queues)
{
    private readonly QueueClient _queue = queues.GetQueueClient(QueueNames.Recipients);
    private readonly QueueClient _poison = queues.GetQueueClient(QueueNames.Recipients + QueueNames.PoisonSuffix);

    private readonly QueueClient _submissions = queues.GetQueueClient(QueueNames.Submissions);

    /// <summary>Roughly how many submissions still wait to be anonymised (a burst in progress).</summary>
    public async Task<int> SubmissionsWaitingAsync(CancellationToken cancellationToken) =>
        (await _submissions.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;

    public Task SendAsync(RecipientMessage message, CancellationToken cancellationToken) =>
        _queue.SendMessageAsync(JsonSerializer.Serialize(message, JsonDefaults.Options), cancellationToken);

    /// <summary>When the oldest waiting message was queued; null when none is waiting.</summary>
    public async Task<DateTimeOffset?> OldestWaitingAsync(CancellationToken cancellationToken)
    {
        PeekedMessage[] peeked = await _queue.PeekMessagesAsync(maxMessages: 32, cancellationToken);
        return peeked.Length == 0 ? null : peeked.Min(m => m.InsertedOn);
    }

    /// <summary>Takes up to <paramref name="max"/> waiting messages, hidden for <paramref name="hold"/> while they are written.</summary>
    public async Task<List<PendingRecipient>> TakeAsync(int max, TimeSpan hold, CancellationToken cancellationToken)
    {
        var taken = new List<PendingRecipient>();
        while (taken.Count < max)
        {
            QueueMessage[] batch = await _queue.ReceiveMessagesAsync(Math.Min(32, max - taken.Count), hold, cancellationToken);
            if (batch.Length == 0) break;
            foreach (var message in batch)
            {
                var text = message.Body.ToString();
                RecipientMessage? parsed;
                try
                {
                    parsed = JsonSerializer.Deserialize<RecipientMessage>(text, JsonDefaults.Options);
                }
                catch (JsonException)
                {
                    parsed = null;
                }
                taken.Add(new PendingRecipient(parsed, message.MessageId, message.PopReceipt, text));
            }
        }
        return taken;
    }

    public Task DeleteAsync(PendingRecipient pending, CancellationToken cancellationToken) =>
        _queue.DeleteMessageAsync(pending.MessageId, pending.PopReceipt, cancellationToken);

    /// <summary>A message that cannot be read (not ours, or tampered with) goes to the poison queue for a person to look at.</summary>
    public async Task MoveToPoisonAsync(PendingRecipient pending, CancellationToken cancellationToken)
    {
        await _poison.SendMessageAsync(pending.RawText, cancellationToken);
        await DeleteAsync(pending, cancellationToken);
    }
}
