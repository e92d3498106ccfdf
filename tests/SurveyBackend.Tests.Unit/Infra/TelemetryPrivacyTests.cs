using System.Text.Json.Nodes;

namespace SurveyBackend.Tests.Unit.Infra;

/// <summary>
/// The threat model (docs/threat-model.md) says request telemetry carries no client IP and no location, and nothing
/// keeps a raw submission once it is anonymised: these keep it true, in Azure and on the local stack.
/// </summary>
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

    [Fact]
    public void StartScript_RunsAzuriteWithNoRequestLogAndNoTelemetry()
    {
        var script = File.ReadAllLines(Path.Combine(Root(), "scripts", "start.sh"));
        // The command that starts Azurite, with its continuation lines.
        var start = Array.FindIndex(script, line => line.TrimStart().StartsWith("scripts/node_modules/.bin/azurite", StringComparison.Ordinal));
        Assert.True(start >= 0, "start.sh no longer starts Azurite from scripts/node_modules/.bin/azurite");
        var command = string.Join(" ", script.Skip(start).TakeWhile((line, i) => i == 0 || script[start + i - 1].TrimEnd().EndsWith('\\')));

        // Azurite's debug log records every request body: raw submissions, answers beside addresses, kept for good.
        Assert.DoesNotContain("--debug", command, StringComparison.Ordinal);
        Assert.DoesNotContain(" -d ", command, StringComparison.Ordinal);
        Assert.Contains("--disableTelemetry", command, StringComparison.Ordinal);
    }
}
