using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace SurveyBackend.Storage;

/// <summary>A work queue and how many messages wait in its poison queue.</summary>
public sealed record PoisonCount(string Queue, string PoisonQueue, int Waiting);

/// <summary>
/// The <c>-poison</c> queues, where the Functions host puts a message after maxDequeueCount failures. The admin sees
/// how many wait and moves them back to their work queue once the cause is fixed.
/// </summary>
public sealed class PoisonQueues(QueueServiceClient queues)
{
    /// <summary>The work queues that have a poison queue.</summary>
    public static IReadOnlyList<string> WorkQueues { get; } =
        [.. QueueNames.All.Where(q => !q.EndsWith(QueueNames.PoisonSuffix, StringComparison.Ordinal))];

    public async Task<IReadOnlyList<PoisonCount>> CountAsync(CancellationToken cancellationToken)
    {
        var counts = new List<PoisonCount>();
        foreach (var queue in WorkQueues)
        {
            var poison = queue + QueueNames.PoisonSuffix;
            QueueProperties properties = await queues.GetQueueClient(poison).GetPropertiesAsync(cancellationToken);
            counts.Add(new PoisonCount(queue, poison, properties.ApproximateMessagesCount));
        }
        return counts;
    }

    /// <summary>
    /// Moves every message waiting in <paramref name="queue"/>'s poison queue back to it: send first, then delete,
    /// so a crash between the two leaves a duplicate (harmless: processing is idempotent), never a loss.
    /// </summary>
    public async Task<int> ReplayAsync(string queue, CancellationToken cancellationToken)
    {
        var target = queues.GetQueueClient(queue);
        var poison = queues.GetQueueClient(queue + QueueNames.PoisonSuffix);
        var moved = 0;
        while (true)
        {
            QueueMessage[] batch = await poison.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1), cancellationToken);
            if (batch.Length == 0) return moved;
            foreach (var message in batch)
            {
                await target.SendMessageAsync(message.Body, cancellationToken: cancellationToken);
                await poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                moved++;
            }
        }
    }
}
