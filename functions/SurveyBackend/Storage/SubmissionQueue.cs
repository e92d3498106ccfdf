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
public sealed class SubmissionQueue(QueueServiceClient queues) : ISubmissionQueue
{
    private readonly QueueClient _queue = queues.GetQueueClient(QueueNames.Submissions);

    public async Task SendAsync(SubmissionMessage message, CancellationToken cancellationToken) =>
        await _queue.SendMessageAsync(JsonSerializer.Serialize(message, JsonDefaults.Options), cancellationToken);
}
