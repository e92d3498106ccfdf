using System.Globalization;
using SurveyBackend.Testing;

namespace SurveyBackend.Benchmarks;

/// <summary>
/// The size of the report page and the slides page for the sample survey (its reporting groups, two segments,
/// eleven questions), as served. Goals: the report at most 250 KB of HTML, the slides at most 300 KB.
/// Args: [respondents = 1000].
/// </summary>
public sealed class PageSizeBenchmark : IBenchmark
{
    public string Name => "pages";
    public string Description => "Report page and slides page size for the sample survey (<= 250 KB and <= 300 KB)";

    public async Task RunAsync(string[] args)
    {
        var respondents = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000;
        await using var azurite = await AzuriteServer.StartNewAsync();
        await using var host = await LocalHostServer.StartAsync(azurite, new Dictionary<string, string?> { ["Anonymity:Secret"] = PipelineBenchmark.LocalSecret() });
        var reportId = (await BenchmarkRouteBenchmark.PublishAsync(host, "pages-sample", respondents)).Split('|')[1];

        foreach (var (label, path, limit) in new[] { ("report page", $"api/reports/{reportId}", 250), ("slides page", $"api/reports/{reportId}/slides", 300) })
        {
            var bytes = (await host.Client.GetByteArrayAsync(path)).Length;
            var kb = bytes / 1000.0;
            Console.WriteLine($"  {label}: {bytes:N0} bytes = {kb:0.0} KB (goal <= {limit} KB): {(kb <= limit ? "met" : "NOT met")}");
        }
    }
}
