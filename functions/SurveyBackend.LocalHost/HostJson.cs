using System.Globalization;
using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Azure.WebJobs.Host;

namespace SurveyBackend.LocalHost;

/// <summary>
/// Applies host.json's <c>extensions.queues</c> to the WebJobs queue listener, as the Functions host does,
/// then any app-setting override of the form <c>AzureFunctionsJobHost__extensions__queues__batchSize</c>
/// (the Functions host's own way to override host.json; tests use it for short retry delays).
/// </summary>
internal static class HostJson
{
    public const string OverrideSection = "AzureFunctionsJobHost:extensions:queues";

    public static void ApplyQueueSettings(string appRoot, IConfiguration configuration, QueuesOptions options)
    {
        var path = Path.Combine(appRoot, "host.json");
        if (File.Exists(path))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (document.RootElement.TryGetProperty("extensions", out var extensions)
                && extensions.TryGetProperty("queues", out var queues))
            {
                foreach (var setting in queues.EnumerateObject())
                {
                    Apply(options, setting.Name, setting.Value.ValueKind == JsonValueKind.String ? setting.Value.GetString()! : setting.Value.GetRawText());
                }
            }
        }
        foreach (var setting in configuration.GetSection(OverrideSection).GetChildren())
        {
            if (setting.Value is not null) Apply(options, setting.Key, setting.Value);
        }
    }

    private static void Apply(QueuesOptions options, string name, string value)
    {
        switch (name.ToLowerInvariant())
        {
            case "batchsize": options.BatchSize = int.Parse(value, CultureInfo.InvariantCulture); break;
            case "newbatchthreshold": options.NewBatchThreshold = int.Parse(value, CultureInfo.InvariantCulture); break;
            case "maxdequeuecount": options.MaxDequeueCount = int.Parse(value, CultureInfo.InvariantCulture); break;
            case "visibilitytimeout": options.VisibilityTimeout = TimeSpan.Parse(value, CultureInfo.InvariantCulture); break;
            case "maxpollinginterval": options.MaxPollingInterval = TimeSpan.Parse(value, CultureInfo.InvariantCulture); break;
            case "messageencoding":
                options.MessageEncoding = string.Equals(value, "none", StringComparison.OrdinalIgnoreCase)
                    ? QueueMessageEncoding.None : QueueMessageEncoding.Base64;
                break;
        }
    }
}
