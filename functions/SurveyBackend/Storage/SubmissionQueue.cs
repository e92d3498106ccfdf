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
