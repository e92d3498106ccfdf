using System.Text.Json;
using Azure.Storage.Queues;
using SurveyBackend.Web;

namespace SurveyBackend.Storage;

/// <summary>The <c>submissions</c> queue as intake and the sweeper see it: a seam, so tests can make a send fail.</summary>
public interface ISubmissionQueue
{
    Task SendAsync(SubmissionMessage message, CancellationToken cancellationToken);
}

/// <summary>Sends <see cref="SubmissionMessage"/>s as JSON through the registered (base64) queue client.</summary>
public sealed class SubmissionQueue : ISubmissionQueue
{
    private readonly QueueClient _queue;

    public SubmissionQueue(QueueServiceClient queues) : this(queues.GetQueueClient(QueueNames.Submissions)) { }

    /// <summary>Another queue: tests send to one no other area's trigger reads.</summary>
    internal SubmissionQueue(QueueClient queue) => _queue = queue;

    public async Task SendAsync(SubmissionMessage message, CancellationToken cancellationToken) =>
        await _queue.SendMessageAsync(JsonSerializer.Serialize(message, JsonDefaults.Options), cancellationToken);
}

/// <summary>How many messages wait on the <c>submissions</c> queue: the recipient flush holds its batch while a burst is still being anonymised.</summary>
public sealed class SubmissionBacklog
{
    private readonly QueueClient _queue;

    public SubmissionBacklog(QueueServiceClient queues) : this(queues.GetQueueClient(QueueNames.Submissions)) { }

    /// <summary>Another queue: tests fake a burst on one no trigger reads.</summary>
    internal SubmissionBacklog(QueueClient queue) => _queue = queue;

    /// <summary>Roughly how many submissions still wait to be anonymised (one properties read).</summary>
    public async Task<int> WaitingAsync(CancellationToken cancellationToken) =>
        (await _queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
}
