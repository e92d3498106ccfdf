using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SurveyBackend.Storage;

namespace SurveyBackend.Health;

/// <summary>Healthy when Tables and Queues both answer within a few seconds.</summary>
public sealed class HealthCheck(TableServiceClient tables, QueueServiceClient queues, ILogger<HealthCheck> logger)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Budget);
        try
        {
            await foreach (var _ in tables.QueryAsync(maxPerPage: 1, cancellationToken: timeout.Token))
            {
                break;
            }
            await queues.GetQueueClient(QueueNames.Submissions).GetPropertiesAsync(timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or OperationCanceledException or HttpRequestException or AggregateException)
        {
            logger.LogWarning(ex, "Health check failed");
            return false;
        }
    }
}

internal static class HealthWiring
{
    public static IServiceCollection AddHealth(this IServiceCollection services) =>
        services.AddSingleton<HealthCheck>().AddSingleton<HealthEndpoints>();
}
