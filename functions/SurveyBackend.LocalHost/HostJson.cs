using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Azure.WebJobs.Host;

namespace SurveyBackend.LocalHost;

/// <summary>Applies host.json's <c>extensions.queues</c> to the WebJobs queue listener, as the Functions host does.</summary>
internal static class HostJson
{
    public static void ApplyQueueSettings(string appRoot, QueuesOptions options)
    {
        var path = Path.Combine(appRoot, "host.json");
        if (!File.Exists(path)) return;

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        if (!document.RootElement.TryGetProperty("extensions", out var extensions)
            || !extensions.TryGetProperty("queues", out var queues)) return;

        foreach (var setting in queues.EnumerateObject())
        {
            switch (setting.Name.ToLowerInvariant())
            {
                case "batchsize": options.BatchSize = setting.Value.GetInt32(); break;
                case "newbatchthreshold": options.NewBatchThreshold = setting.Value.GetInt32(); break;
                case "maxdequeuecount": options.MaxDequeueCount = setting.Value.GetInt32(); break;
                case "visibilitytimeout": options.VisibilityTimeout = TimeSpan.Parse(setting.Value.GetString()!, System.Globalization.CultureInfo.InvariantCulture); break;
                case "maxpollinginterval": options.MaxPollingInterval = TimeSpan.Parse(setting.Value.GetString()!, System.Globalization.CultureInfo.InvariantCulture); break;
                case "messageencoding":
                    options.MessageEncoding = string.Equals(setting.Value.GetString(), "none", StringComparison.OrdinalIgnoreCase)
                        ? QueueMessageEncoding.None : QueueMessageEncoding.Base64;
                    break;
            }
        }
    }
}
