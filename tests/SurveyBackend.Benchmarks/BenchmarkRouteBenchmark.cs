using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SurveyBackend.Surveys;
using SurveyBackend.Testing;

namespace SurveyBackend.Benchmarks;

/// <summary>
/// <c>GET /api/surveys/{id}/benchmark</c> through the local host (Kestrel + the app + Azurite) at 1k and 100k
/// respondents, and the same request with a matching <c>If-None-Match</c> (304). A release is frozen figures, so the
/// time should not grow with respondents. Args: [small = 1000] [large = 100000] [reads = 200].
/// </summary>
public sealed class BenchmarkRouteBenchmark : IBenchmark
{
    public string Name => "benchmark";
    public string Description => "GET /api/surveys/{id}/benchmark at 1k and 100k respondents, and 304 on a matching ETag";

    public async Task RunAsync(string[] args)
    {
        var small = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000;
        var large = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        var reads = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
        await using var azurite = await AzuriteServer.StartNewAsync();
        await using var host = await LocalHostServer.StartAsync(azurite, new Dictionary<string, string?> { ["Anonymity:Secret"] = PipelineBenchmark.LocalSecret() });

        var smallSurvey = await PublishAsync(host, "bench-small", small);
        var largeSurvey = await PublishAsync(host, "bench-large", large);
        var smallRun = await ReadAsync(host, smallSurvey, $"benchmark at {small:N0}", reads, conditional: false);
        var largeRun = await ReadAsync(host, largeSurvey, $"benchmark at {large:N0}", reads, conditional: false);
        var notModified = await ReadAsync(host, largeSurvey, $"benchmark at {large:N0}, If-None-Match", reads, conditional: true);

        Console.WriteLine();
        Measurements.PrintComparison(largeRun, smallRun);
        Console.WriteLine($"Goal: p50 <= 20 ms at {large:N0}: {largeRun.Percentile(50):0.0} ms; the same as at {small:N0} ({smallRun.Percentile(50):0.0} ms, {largeRun.Percentile(50) / smallRun.Percentile(50):0.00}x); 304 p50 {notModified.Percentile(50):0.0} ms");
    }

    /// <summary>Seeds the counts, and publishes a report of a new release (so it is the public release): "survey|report".</summary>
    internal static async Task<string> PublishAsync(LocalHostServer host, string surveyId, int respondents, bool bilingual = false)
    {
        await ResultsReadBenchmark.SeedAsync(host.Services, host.Services.GetRequiredService<SurveyCatalog>(), surveyId, respondents);
        return surveyId + "|" + await Publishing.ReportAsync(host, surveyId, release: null, bilingual);
    }

    private static async Task<Measurements> ReadAsync(LocalHostServer host, string published, string label, int reads, bool conditional)
    {
        var surveyId = published.Split('|')[0];
        var url = $"api/surveys/{surveyId}/benchmark";
        using var first = await host.Client.GetAsync(url); // warm up; and the ETag
        if (first.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"Benchmark route: {(int)first.StatusCode}");
        var etag = first.Headers.ETag!.Tag;
        var bytes = (await first.Content.ReadAsByteArrayAsync()).Length;
        var expected = conditional ? HttpStatusCode.NotModified : HttpStatusCode.OK;
        var measured = await Measurements.RunAsync(label, reads, 1, async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (conditional) request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            using var response = await host.Client.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode != expected) throw new InvalidOperationException($"Expected {(int)expected}, got {(int)response.StatusCode}.");
        });
        Console.WriteLine($"  {label}: {(int)expected} ({bytes:N0} bytes when 200), p50 {measured.Percentile(50):0.0} ms, p99 {measured.Percentile(99):0.0} ms");
        return measured;
    }
}
