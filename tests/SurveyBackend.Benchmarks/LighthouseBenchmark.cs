using System.Globalization;
using System.Text.Json;
using SurveyBackend.Testing;

namespace SurveyBackend.Benchmarks;

/// <summary>
/// Lighthouse 12.2.3 (npm, in <c>tools/</c>; Chromium at <c>CHROME_PATH</c>, /usr/bin/chromium by default), its default
/// mobile profile (a mid-range phone on slow 4G, simulated throttling), on the pages people load: the report page and
/// the survey's form page (the page the embed frames), for the sample survey at 1,000 respondents through the local
/// host. The baseline in the same run is each page fetched uncoded (the browser told to ask for identity), as every
/// page went before the app compressed. Goals: report performance >= 98; form performance >= 95 and accessibility 100.
/// Args: [runs = 3] (the median of each figure is printed).
/// </summary>
public sealed class LighthouseBenchmark : IBenchmark
{
    private const string ChromeFlags = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-quic --no-first-run "
        + "--disable-background-networking --disable-component-update --disable-sync";

    private static readonly string[] Metrics = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index"];

    public string Name => "lighthouse";
    public string Description => "Lighthouse mobile scores of the report page (perf >= 98) and the form page (perf >= 95, a11y 100), coded and uncoded";

    public async Task RunAsync(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var cli = await Tools.LighthouseAsync();
        Console.WriteLine($"Load average at start (1, 5, 15 min): {Tools.LoadAverage()} on {Environment.ProcessorCount} cores");
        await using var azurite = await AzuriteServer.StartNewAsync();
        await using var host = await LocalHostServer.StartAsync(azurite, new Dictionary<string, string?> { ["Anonymity:Secret"] = PipelineBenchmark.LocalSecret() });
        var (surveyId, reportId) = await PageSizeBenchmark.PublishSampleAsync(host, respondents: 1_000);

        var pages = new (string Label, string Path, double Performance, double? Accessibility)[]
        {
            ("report page", $"api/reports/{reportId}", 0.98, null),
            ("form page", $"api/surveys/{surveyId}/form", 0.95, 1.0),
        };
        Console.WriteLine($"  {"page",-24} {"perf",5} {"a11y",5} {"FCP ms",7} {"LCP ms",7} {"TBT ms",7} {"CLS",6} {"SI ms",7} {"KB sent",8}");
        foreach (var (label, path, performance, accessibility) in pages)
        {
            var url = new Uri(host.BaseAddress, path).ToString();
            var uncoded = await MedianAsync(cli, url, runs, identity: true);
            var coded = await MedianAsync(cli, url, runs, identity: false);
            Print($"{label}, uncoded", uncoded);
            Print(label, coded);
            var met = coded.Performance >= performance && (accessibility is null || coded.Accessibility >= accessibility);
            var goal = $"performance >= {performance * 100:0}" + (accessibility is { } a ? $", accessibility {a * 100:0}" : "");
            Console.WriteLine($"    goal {goal}: {(met ? "met" : "NOT met")}; first paint {coded.Metric("first-contentful-paint") / uncoded.Metric("first-contentful-paint"):0.00}x the uncoded page's"
                + (coded.FailedAccessibility.Count > 0 ? $"; accessibility audits failed: {string.Join(", ", coded.FailedAccessibility)}" : ""));
        }
        Console.WriteLine($"Load average at end: {Tools.LoadAverage()}");
    }

    private sealed record Report(double Performance, double Accessibility, IReadOnlyDictionary<string, double> Metrics, double BytesSent, IReadOnlyList<string> FailedAccessibility)
    {
        public double Metric(string id) => Metrics[id];
    }

    private static void Print(string label, Report r) =>
        Console.WriteLine($"  {label,-24} {r.Performance * 100,5:0} {r.Accessibility * 100,5:0} {r.Metric("first-contentful-paint"),7:0} {r.Metric("largest-contentful-paint"),7:0} "
            + $"{r.Metric("total-blocking-time"),7:0} {r.Metric("cumulative-layout-shift"),6:0.000} {r.Metric("speed-index"),7:0} {r.BytesSent / 1000,8:0.0}");

    /// <summary>The median of each figure over <paramref name="runs"/> Lighthouse runs (Lighthouse's own advice for variance).</summary>
    private static async Task<Report> MedianAsync(string cli, string url, int runs, bool identity)
    {
        var reports = new List<Report>();
        for (var i = 0; i < runs; i++) reports.Add(await RunOnceAsync(cli, url, identity));
        static double Median(IEnumerable<double> values) => values.Order().ElementAt(values.Count() / 2);
        return new Report(
            Median(reports.Select(r => r.Performance)), Median(reports.Select(r => r.Accessibility)),
            Metrics.ToDictionary(m => m, m => Median(reports.Select(r => r.Metric(m)))),
            Median(reports.Select(r => r.BytesSent)),
            [.. reports.SelectMany(r => r.FailedAccessibility).Distinct()]);
    }

    private static async Task<Report> RunOnceAsync(string cli, string url, bool identity)
    {
        var output = Path.Combine(Path.GetTempPath(), $"lighthouse-{Guid.NewGuid():N}.json");
        List<string> arguments = [cli, url, "--quiet", "--output=json", $"--output-path={output}", "--only-categories=performance,accessibility", $"--chrome-flags={ChromeFlags}"];
        if (identity) arguments.Add("""--extra-headers={"Accept-Encoding":"identity"}""");
        try
        {
            await Tools.RunAsync("node", arguments, TimeSpan.FromMinutes(3),
                ("CHROME_PATH", Environment.GetEnvironmentVariable("CHROME_PATH") ?? "/usr/bin/chromium"));
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(output));
            var root = json.RootElement;
            var categories = root.GetProperty("categories");
            var audits = root.GetProperty("audits");
            var failed = categories.GetProperty("accessibility").GetProperty("auditRefs").EnumerateArray()
                .Select(a => a.GetProperty("id").GetString()!)
                .Where(id => audits.GetProperty(id) is var audit && audit.GetProperty("score").ValueKind == JsonValueKind.Number && audit.GetProperty("score").GetDouble() < 1)
                .ToList();
            return new Report(
                categories.GetProperty("performance").GetProperty("score").GetDouble(),
                categories.GetProperty("accessibility").GetProperty("score").GetDouble(),
                Metrics.ToDictionary(m => m, m => audits.GetProperty(m).GetProperty("numericValue").GetDouble()),
                audits.GetProperty("total-byte-weight").GetProperty("numericValue").GetDouble(),
                failed);
        }
        finally
        {
            File.Delete(output);
        }
    }
}
