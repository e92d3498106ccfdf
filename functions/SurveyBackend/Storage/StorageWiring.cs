using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SurveyBackend.Storage;

internal static class StorageWiring
{
    public const string ConnectionName = "AzureWebJobsStorage";

    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAzureClients(clients =>
        {
            var connectionString = configuration[ConnectionName];
            if (!string.IsNullOrWhiteSpace(connectionString))
            {
                // Locally: UseDevelopmentStorage=true or an Azurite connection string.
                clients.AddTableServiceClient(connectionString).ConfigureOptions(ConfigureRetries);
                clients.AddQueueServiceClient(connectionString).ConfigureOptions(ConfigureQueues);
            }
            else
            {
                // In Azure: identity-based settings, AzureWebJobsStorage__tableServiceUri and friends.
                var section = configuration.GetSection(ConnectionName);
                clients.AddTableServiceClient(RequiredUri(section, "tableServiceUri")).ConfigureOptions(ConfigureRetries);
                clients.AddQueueServiceClient(RequiredUri(section, "queueServiceUri")).ConfigureOptions(ConfigureQueues);
                clients.UseCredential(CredentialFrom(section));
            }
        });
        services.AddSingleton<StorageInitializer>();
        services.AddSingleton<SurveyStore>();
        services.AddSingleton<SubmissionStore>();
        services.AddSingleton<RecipientStore>();
        services.AddSingleton<ResponseStore>();
        return services;
    }

    // Fail fast when storage is down: a client waiting on a dead account should get 503 in seconds, not hang.
    private static void ConfigureRetries(ClientOptions options)
    {
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(3);
    }

    private static void ConfigureQueues(QueueClientOptions options)
    {
        ConfigureRetries(options);
        // The Functions queue trigger reads base64 by default (host.json messageEncoding).
        options.MessageEncoding = QueueMessageEncoding.Base64;
    }

    private static Uri RequiredUri(IConfigurationSection section, string key) =>
        Uri.TryCreate(section[key], UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException($"Setting {section.Path}__{key} is missing: set {section.Path} or its identity-based settings.");

    private static TokenCredential CredentialFrom(IConfigurationSection section) =>
        section["clientId"] is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
}
