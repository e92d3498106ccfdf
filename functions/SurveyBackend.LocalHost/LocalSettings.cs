using System.Text.Json;

namespace SurveyBackend.LocalHost;

/// <summary>
/// Settings as <c>func start</c> reads them: the <c>Values</c> of local.settings.json (or, failing that, of
/// local.settings.sample.json), with <c>Section__Key</c> names turned into configuration paths.
/// Environment variables of the same name are added after these, so they win, as in Azure.
/// </summary>
internal static class LocalSettings
{
    /// <param name="sampleOnly">Read local.settings.sample.json even where a local.settings.json exists.</param>
    public static Dictionary<string, string?> Load(string directory, bool sampleOnly = false)
    {
        var file = (sampleOnly ? ["local.settings.sample.json"] : new[] { "local.settings.json", "local.settings.sample.json" })
            .Select(name => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (file is null) return values;

        using var document = JsonDocument.Parse(File.ReadAllText(file));
        if (document.RootElement.TryGetProperty("Values", out var settings))
        {
            foreach (var setting in settings.EnumerateObject())
            {
                values[setting.Name.Replace("__", ":", StringComparison.Ordinal)] =
                    setting.Value.ValueKind == JsonValueKind.String ? setting.Value.GetString() : setting.Value.GetRawText();
            }
        }
        return values;
    }

    /// <summary>
    /// The folder that holds host.json and the settings files: the repo root when run from a clone
    /// (so edits to local.settings.json need no rebuild), else the build output, which carries copies.
    /// </summary>
    public static string FindAppRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "host.json")) && Directory.Exists(Path.Combine(dir.FullName, "functions")))
                return dir.FullName;
        }
        return AppContext.BaseDirectory;
    }
}
