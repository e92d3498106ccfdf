using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SurveyBackend.Aggregation;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using SurveyBackend.Testing;

namespace SurveyBackend.Benchmarks;

/// <summary>
/// Releases on the local stack (the local host over HTTP, Azurite), two goals:
/// <list type="number">
/// <item>making a release at 100k respondents takes at most 2 s: first releases of fresh surveys, and a tenth release
/// (nine earlier ones to protect); the baseline in the same run is one read of the live results at 100k;</item>
/// <item>reading a public release (report page, its CSV, the benchmark route) at 10 releases and 100k respondents
/// takes at most 1.2x the time at 1 release and 1k respondents (p50).</item>
/// </list>
/// Counts do not depend on the number of respondents (only on the survey's shape), so the counter rows are seeded
/// through the real aggregate store as counting random answers would leave them, without markers or submissions.
/// Args: [reads = 100] [fresh surveys = 5].
/// </summary>
public sealed class ReleaseBenchmark : IBenchmark
{
    public string Name => "releases";
    public string Description => "[reads=100] [surveys=5] make a release at 100k respondents; read a public release at 10 releases/100k vs 1/1k";

    public async Task RunAsync(string[] args)
    {
        var reads = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
        var fresh = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        await using var azurite = await AzuriteServer.StartNewAsync();
        await using var host = await LocalHostServer.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Report:PublicBaseUrl"] = "https://reports.example.org",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        var seeder = new Seeder(host);

        // Warm-up (JIT, connections, the definition cache path): one release and one report of a small survey, untimed.
        var warm = await seeder.PutSurveyAsync("warm-up");
        await seeder.SeedAsync(warm, 1_000);
        await Publishing.ReportAsync(host, warm.Id, release: null);

        Console.WriteLine("Making releases at 100,000 respondents");
        var baseline = new Measurements("live results at 100k");
        var firsts = new Measurements("first release at 100k");
        for (var i = 0; i < fresh; i++)
        {
            var survey = await seeder.PutSurveyAsync($"make-{i}");
            await seeder.SeedAsync(survey, 100_000);
            await TimeAsync(baseline, () => Expect(host.Admin.GetAsync($"api/admin/surveys/{survey.Id}/results"), HttpStatusCode.OK));
            await TimeAsync(firsts, () => Expect(host.Admin.PostAsync($"api/admin/surveys/{survey.Id}/releases", null), HttpStatusCode.Created));
        }

        // Survey B: ten releases, each shown by a report, 1,000 respondents apart, the tenth at 100k.
        var history = await seeder.PutSurveyAsync("read-large");
        var later = new Measurements("releases 2-10 (91k-100k)");
        string largeReport = "";
        for (var release = 1; release <= 10; release++)
        {
            await seeder.SeedAsync(history, 91_000 + (release - 1) * 1_000);
            var started = Stopwatch.GetTimestamp();
            await Expect(host.Admin.PostAsync($"api/admin/surveys/{history.Id}/releases", null), HttpStatusCode.Created);
            if (release > 1) later.Record(Stopwatch.GetElapsedTime(started));
            largeReport = await Publishing.ReportAsync(host, history.Id, release);
        }
        Console.WriteLine($"  {"run",-28} {"n",4} {"p50 ms",8} {"max ms",8}");
        foreach (var m in new[] { baseline, firsts, later })
            Console.WriteLine($"  {m.Label,-28} {m.Count,4} {m.Percentile(50),8:0.0} {m.Percentile(100),8:0.0}");
        Console.WriteLine($"Goal: a release at 100k <= 2000 ms: first releases max {firsts.Percentile(100):0} ms, with nine earlier max {later.Percentile(100):0} ms");

        // Survey A: one release at 1k.
        var small = await seeder.PutSurveyAsync("read-small");
        await seeder.SeedAsync(small, 1_000);
        var smallReport = await Publishing.ReportAsync(host, small.Id, release: null);

        Console.WriteLine();
        Console.WriteLine($"Reading a public release ({reads} sequential reads per route, after a warm-up)");
        var routes = new (string Name, Func<string, string, string> Path)[]
        {
            ("report page", (_, report) => $"api/reports/{report}"),
            ("report CSV", (_, report) => $"api/reports/{report}/results.csv"),
            ("benchmark route", (survey, _) => $"api/surveys/{survey}/benchmark"),
        };
        foreach (var (name, path) in routes)
        {
            var smallPath = path(small.Id, smallReport);
            var largePath = path(history.Id, largeReport);
            var smallRun = await ReadAsync(host, smallPath, $"{name}, 1 release/1k", reads);
            var largeRun = await ReadAsync(host, largePath, $"{name}, 10/100k", reads);
            var smallAgain = await ReadAsync(host, smallPath, $"{name}, 1/1k again", reads);
            var ratio = largeRun.Percentile(50) / Math.Max(smallRun.Percentile(50), smallAgain.Percentile(50));
            Console.WriteLine($"  {name,-16} p50 1/1k {smallRun.Percentile(50),6:0.00} ms, again {smallAgain.Percentile(50),6:0.00} ms; 10/100k {largeRun.Percentile(50),6:0.00} ms" +
                $"  ratio {ratio:0.00}x (goal <= 1.2x)");
        }
    }

    private static async Task<Measurements> ReadAsync(LocalHostServer host, string path, string label, int reads)
    {
        for (var i = 0; i < 10; i++) await Expect(host.Client.GetAsync(path), HttpStatusCode.OK);
        return await Measurements.RunAsync(label, reads, 1, _ => Expect(host.Client.GetAsync(path), HttpStatusCode.OK));
    }

    private static async Task TimeAsync(Measurements into, Func<Task> operation)
    {
        var started = Stopwatch.GetTimestamp();
        await operation();
        into.Record(Stopwatch.GetElapsedTime(started));
    }

    private static async Task Expect(Task<HttpResponseMessage> call, HttpStatusCode status)
    {
        using var response = await call;
        if (response.StatusCode != status)
            throw new InvalidOperationException($"Expected {(int)status}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>Seeds counter rows, across every shard, as counting n random respondents would leave them.</summary>
    private sealed class Seeder(LocalHostServer host)
    {
        private readonly AggregateStore _store = host.Services.GetRequiredService<AggregateStore>();
        private readonly ResponseCounter _counter = host.Services.GetRequiredService<ResponseCounter>();

        public async Task<SurveyDefinition> PutSurveyAsync(string id)
        {
            var json = JsonNode.Parse(await File.ReadAllTextAsync(RepoPaths.SampleSurvey))!.AsObject();
            json["id"] = id;
            json["status"] = "closed";
            using var put = await host.PutSurveyAsync(id, json.ToJsonString());
            put.EnsureSuccessStatusCode();
            return (await host.Services.GetRequiredService<SurveyCatalog>().FindAsync(id, CancellationToken.None))!.Definition;
        }

        /// <summary>The same seed for a survey each time, so a larger n adds respondents to those already there.</summary>
        public async Task SeedAsync(SurveyDefinition survey, int respondents)
        {
            var random = new Random(survey.Id.GetHashCode(StringComparison.Ordinal) & 0x7fff);
            var counts = new Dictionary<(int Shard, string Scope), Dictionary<string, long>>();
            for (var i = 0; i < respondents; i++)
            {
                var shard = i % _counter.Shards;
                var answers = PipelineBenchmark.RandomAnswers(survey, random)
                    .ToDictionary(a => a.Key, a => a.Value is string s ? (IReadOnlyList<string>)[s] : (IReadOnlyList<string>)(string[])a.Value);
                foreach (var (scope, increments) in Tally.For(answers, survey.Segments))
                {
                    if (!counts.TryGetValue((shard, scope), out var into)) counts[(shard, scope)] = into = new(StringComparer.Ordinal);
                    Tally.Add(into, increments);
                }
            }
            await Parallel.ForEachAsync(Enumerable.Range(0, _counter.Shards), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (shard, ct) =>
            {
                var rows = new List<CounterRow>();
                foreach (var ((s, scope), value) in counts.Where(c => c.Key.Shard == shard))
                {
                    var existing = await _store.ReadAsync(survey.Id, s, scope, ct);
                    rows.Add(new CounterRow(scope, value, existing?.ETag));
                }
                if (!await _store.TryReplaceCountersAsync(survey.Id, shard, rows, ct)) throw new InvalidOperationException("Seeding raced.");
            });
        }
    }
}
