using System.Globalization;
using System.Security.Cryptography;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SurveyBackend.Aggregation;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using SurveyBackend.Testing;

namespace SurveyBackend.Benchmarks;

/// <summary>
/// Results read time at 1k and 100k respondents. The aggregates are seeded as counting would leave them (counter rows
/// per shard and scope, and each response in its shard as its own marker) from random answers to the sample survey, without
/// running 100k submissions through the pipeline. Then the results (suppression included) are read repeatedly.
/// Args: [small = 1000] [large = 100000] [reads = 30].
/// </summary>
public sealed class ResultsReadBenchmark : IBenchmark
{
    public string Name => "results";
    public string Description => "Results read time at 1k and 100k respondents (reads the aggregates only)";

    public async Task RunAsync(string[] args)
    {
        var small = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000;
        var large = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        var reads = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30;
        await using var azurite = await AzuriteServer.StartNewAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Anonymity:Secret"] = PipelineBenchmark.LocalSecret(),
        }).Build();
        await using var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning)).AddSurveyBackend(configuration).BuildServiceProvider();
        await services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync(CancellationToken.None);
        var catalog = services.GetRequiredService<SurveyCatalog>();
        var results = services.GetRequiredService<ResultsService>();

        var smallSurvey = await SeedAsync(services, catalog, "results-small", small);
        var smallRun = await ReadAsync(results, smallSurvey, $"results at {small:N0}", reads);
        var largeSurvey = await SeedAsync(services, catalog, "results-large", large);
        var largeRun = await ReadAsync(results, largeSurvey, $"results at {large:N0}", reads);
        // The small survey again, now that the table also holds the large one's rows.
        var smallAgain = await ReadAsync(results, smallSurvey, $"results at {small:N0} again", reads);

        Console.WriteLine();
        Measurements.PrintComparison(largeRun, smallRun);
        Measurements.PrintComparison(largeRun, smallAgain);
        Console.WriteLine($"Goal: results at {large:N0} <= 1.2x results at {small:N0} (p50): {largeRun.Percentile(50) / smallRun.Percentile(50):0.00}x (vs the later small run {largeRun.Percentile(50) / smallAgain.Percentile(50):0.00}x)");
    }

    private static async Task<Measurements> ReadAsync(ResultsService results, string surveyId, string label, int reads)
    {
        await results.GetAsync(surveyId, CancellationToken.None); // warm up (definition cache, connections)
        var measured = await Measurements.RunAsync(label, reads, 1, async _ =>
        {
            var read = await results.GetAsync(surveyId, CancellationToken.None);
            if (read is null || read.Respondents == 0) throw new InvalidOperationException("No results.");
        });
        Console.WriteLine($"  {label}: p50 {measured.Percentile(50):0.0} ms, p99 {measured.Percentile(99):0.0} ms");
        return measured;
    }

    internal static async Task<string> SeedAsync(IServiceProvider services, SurveyCatalog catalog, string surveyId, int respondents)
    {
        var json = await RepoPaths.SampleSurveyJsonAsync(surveyId);
        await catalog.SaveAsync(surveyId, System.Text.Encoding.UTF8.GetBytes(json), CancellationToken.None);
        var survey = (await catalog.FindAsync(surveyId, CancellationToken.None))!.Definition;
        var counter = services.GetRequiredService<ResponseCounter>();
        var store = services.GetRequiredService<AggregateStore>();
        var table = services.GetRequiredService<TableServiceClient>().GetTableClient(TableNames.Aggregates);

        var started = System.Diagnostics.Stopwatch.StartNew();
        var random = new Random(respondents);
        var counts = new Dictionary<(int, string), Dictionary<string, long>>();
        var responses = new Dictionary<int, List<TableEntity>>();
        for (var i = 0; i < respondents; i++)
        {
            var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            var shard = counter.ShardOf(key);
            var answers = PipelineBenchmark.Lists(PipelineBenchmark.RandomAnswers(survey, random));
            foreach (var (scope, increments) in Tally.For(answers, survey.Segments))
            {
                if (!counts.TryGetValue((shard, scope), out var into)) counts[(shard, scope)] = into = new(StringComparer.Ordinal);
                Tally.Add(into, increments);
            }
            // Each response is stored in its shard's partition as its own counting marker, as the counter stores it.
            if (!responses.TryGetValue(shard, out var list)) responses[shard] = list = [];
            list.Add(new TableEntity(AggregateStore.ShardPartition(surveyId, shard), AggregateStore.ResponseRowKey(key))
            {
                ["Day"] = "2026-01-01",
                ["AnswersJson"] = new Answers { Chosen = answers }.ToJson(),
            });
        }
        await Parallel.ForEachAsync(Enumerable.Range(0, counter.Shards), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (shard, ct) =>
        {
            foreach (var chunk in (responses.GetValueOrDefault(shard) ?? []).Chunk(100))
                await table.SubmitTransactionAsync([.. chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e))], ct);
            var rows = counts.Where(c => c.Key.Item1 == shard).Select(c => new CounterRow(c.Key.Item2, c.Value, null)).ToList();
            if (!await store.TryReplaceCountersAsync(surveyId, shard, rows, ct)) throw new InvalidOperationException("Seeding raced.");
        });
        Console.WriteLine($"  seeded {respondents:N0} respondents ({respondents:N0} responses, {counts.Count} counter rows) in {started.Elapsed.TotalSeconds:0.0}s");
        return surveyId;
    }
}
