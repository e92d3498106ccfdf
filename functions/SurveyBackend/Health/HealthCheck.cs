using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using SurveyBackend.Storage;

namespace SurveyBackend.Health;

/// <summary>Whether Tables and Queues each answered.</summary>
public sealed record StorageHealth(bool Tables, bool Queues)
{
    public bool Healthy => Tables && Queues;
}

/// <summary>
/// The deep check, for admins: one read of Tables and one of Queues, side by side, each given a few seconds. It costs
/// two storage calls, so it sits behind the function key; the public <c>/api/health</c> makes none.
/// </summary>
public sealed class HealthCheck(TableServiceClient tables, QueueServiceClient queues, ILogger<HealthCheck> logger)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    public async Task<StorageHealth> CheckStorageAsync(CancellationToken cancellationToken)
    {
        var tablesAnswer = AnswersAsync("Tables", async ct =>
        {
            await foreach (var _ in tables.QueryAsync(maxPerPage: 1, cancellationToken: ct))
            {
                break;
            }
        }, cancellationToken);
        var queuesAnswer = AnswersAsync("Queues", ct => queues.GetQueueClient(QueueNames.Submissions).GetPropertiesAsync(ct), cancellationToken);
        return new StorageHealth(await tablesAnswer, await queuesAnswer);
    }

    private async Task<bool> AnswersAsync(string service, Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Budget);
        try
        {
            await call(timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or OperationCanceledException or HttpRequestException or AggregateException)
        {
            logger.LogWarning(ex, "Health check: {Service} did not answer", service);
            return false;
        }
    }
}
