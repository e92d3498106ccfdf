using System.Text.Json.Nodes;

namespace SurveyBackend.Tests.Unit.Infra;

/// <summary>The threat model (docs/threat-model.md) says request telemetry carries no client IP and no location: these keep it true.</summary>
public sealed class TelemetryPrivacyTests
{
    private static string Root()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "host.json")) && File.Exists(Path.Combine(folder.FullName, "infra", "main.bicep"))) return folder.FullName;
        }
        throw new DirectoryNotFoundException("No folder above the test holds host.json and infra/main.bicep");
    }

    [Fact]
    public void HostJson_FiltersHostResults_SoTheHostWritesNoRequestTelemetry()
    {
        var hostJson = JsonNode.Parse(File.ReadAllText(Path.Combine(Root(), "host.json")))!;
        var level = (string?)hostJson["logging"]?["logLevel"]?["Host.Results"];

        // Request rows (with the caller's address, which ingestion turns into a city) are written at Information.
        Assert.Contains(level, new[] { "Warning", "Error", "Critical", "None" });
    }

    [Fact]
    public void AppInsightsComponent_NeverStoresIpAddresses()
    {
        var bicep = File.ReadAllText(Path.Combine(Root(), "infra", "app", "monitoring.bicep"));

        Assert.DoesNotContain("DisableIpMasking: true", bicep, StringComparison.OrdinalIgnoreCase);
    }
}
