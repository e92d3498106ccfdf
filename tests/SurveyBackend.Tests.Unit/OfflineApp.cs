using Microsoft.Extensions.Configuration;

namespace SurveyBackend.Tests.Unit;

/// <summary>The app's settings for a unit test that wires the whole app without storage: nothing listens on port 1, so
/// a storage call fails at once, as an outage.</summary>
internal static class OfflineApp
{
    public static IConfiguration Configuration(IEnumerable<KeyValuePair<string, string?>>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
                + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
                + "TableEndpoint=http://127.0.0.1:1/devstoreaccount1;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;",
            ["Anonymity:Secret"] = "a-test-secret-that-is-at-least-32-characters-long",
            ["Email:From"] = "reports@example.org",
            ["Email:OutboxPath"] = Path.GetTempPath(),
            ["Report:PublicBaseUrl"] = "https://reports.example.org",
        };
        foreach (var (key, value) in extra ?? []) settings[key] = value;
        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }
}
