using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace SurveyBackend.Storage;

/// <summary>
/// Creates the tables and queues. In Azure infra/ does this; locally the host calls it once at start,
/// never per request.
/// </summary>
public sealed class StorageInitializer(TableServiceClient tables, QueueServiceClient queues)
{
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        foreach (var table in TableNames.All)
        {
            await tables.CreateTableIfNotExistsAsync(table, cancellationToken);
        }
        foreach (var queue in QueueNames.All)
        {
            await queues.GetQueueClient(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
    }
}
