using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurveyBackend.Aggregation;
using SurveyBackend.Anonymity;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using SurveyBackend.Testing;
using SurveyBackend.Web;

namespace SurveyBackend.Benchmarks;

/// <summary>
/// The anonymise-and-count pipeline end to end on the local stack (local host + Azurite): queued submissions of the
/// sample survey processed by the queue trigger at 1 and 16 workers, beside the floor (plain table writes of the same
/// number of entities, same run) and beside a naive design (one counter partition: every worker fights over one row).
/// Then the counter alone, sharded against naive, at 1 and 16 workers.
/// Args: [submissions at 16 workers = 1000] [submissions at 1 worker = 200] [counts = 1000].
/// </summary>
public sealed class PipelineBenchmark : IBenchmark
{
    public string Name => "pipeline";
    public string Description => "Anonymise + count end to end vs table-write floor and a naive single-row counter, at 1 and 16 workers";

    public async Task RunAsync(string[] args)
    {
        var many = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var few = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
        var counts = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000;
        await using var azurite = await AzuriteServer.StartNewAsync();
        Console.WriteLine($"pipeline: {many} submissions at 16 workers, {few} at 1 worker, {counts} counts per counter run (scaled down for a shared 2-core machine)");

        var tables = new TableServiceClient(azurite.ConnectionString);
        await tables.CreateTableIfNotExistsAsync("floor");
        var floor = tables.GetTableClient("floor");
        // The machine's load swings: the floor is measured right before and right after each pair of pipeline runs.
        async Task<double> FloorAsync(int n, int workers)
        {
            var partition = Guid.NewGuid().ToString("N");
            var m = await Measurements.RunAsync($"floor, {workers}", n, workers, i => floor.AddEntityAsync(new TableEntity(partition, i.ToString("D7", CultureInfo.InvariantCulture))));
            return m.Throughput;
        }

        var rows = new List<(int Workers, double Floor, EndToEnd Sharded, EndToEnd Naive)>();
        foreach (var (workers, n) in new[] { (1, few), (16, many) })
        {
            var before = await FloorAsync(n, workers);
            var sharded = await EndToEndAsync(azurite, $"pipeline sharded, {workers}", n, workers, shards: 16);
            var naive = await EndToEndAsync(azurite, $"pipeline naive, {workers}", n, workers, shards: 1);
            var after = await FloorAsync(n, workers);
            Console.WriteLine($"  floor, {workers}: {before:0.0}/s before, {after:0.0}/s after");
            rows.Add((workers, (before + after) / 2, sharded, naive));
        }

        // Per submission the pipeline writes 6 entities (response, marker, 3 counter rows, tombstone) and sends 1 message.
        Console.WriteLine();
        Console.WriteLine("End to end (queue trigger on the local host), submissions/s; floor = single-entity table writes/s:");
        Console.WriteLine($"  {"workers",7} {"floor",9} {"sharded",9} {"naive",9} {"sharded/floor",14} {"6 x sharded/floor",18} {"sharded/naive",14}");
        foreach (var r in rows)
            Console.WriteLine($"  {r.Workers,7} {r.Floor,9:0.0} {r.Sharded.Throughput,9:0.0} {r.Naive.Throughput,9:0.0} {r.Sharded.Throughput / r.Floor,13:0.00}x {6 * r.Sharded.Throughput / r.Floor,17:0.00}x {r.Sharded.Throughput / r.Naive.Throughput,13:0.00}x");
        Console.WriteLine();
        Console.WriteLine("The anonymiser called directly (no queue trigger: no receive/delete, no WebJobs), submissions/s:");
        var direct1 = await DirectAsync(azurite, "anonymiser direct, 1", few, 1);
        var direct16 = await DirectAsync(azurite, "anonymiser direct, 16", many, 16);
        Measurements.PrintComparison(direct16, direct1);

        Console.WriteLine();
        Console.WriteLine("The counter alone (one response = read rows + one transaction), throughput in counts/s:");
        var counter1 = await CountingAsync(azurite, "counter sharded, 1", counts / 4, 1, 16);
        var naiveCounter1 = await CountingAsync(azurite, "counter naive, 1", counts / 4, 1, 1);
        var counter16 = await CountingAsync(azurite, "counter sharded, 16", counts, 16, 16);
        var naiveCounter16 = await CountingAsync(azurite, "counter naive, 16", counts, 16, 1);
        Measurements.PrintComparison(counter1, naiveCounter1);
        Measurements.PrintComparison(counter16, naiveCounter16);

        Console.WriteLine();
        Console.WriteLine($"Goals: pipeline >= 0.5x floor: {rows[1].Sharded.Throughput / rows[1].Floor:0.00}x at 16, {rows[0].Sharded.Throughput / rows[0].Floor:0.00}x at 1 " +
            $"(per entity written: {6 * rows[1].Sharded.Throughput / rows[1].Floor:0.00}x, {6 * rows[0].Sharded.Throughput / rows[0].Floor:0.00}x); " +
            $"sharded >= 3x naive at 16: end to end {rows[1].Sharded.Throughput / rows[1].Naive.Throughput:0.00}x, counter alone {counter16.Throughput / naiveCounter16.Throughput:0.00}x");
    }

    /// <summary>Stores and enqueues <paramref name="n"/> submissions, then starts a host and times it until the queue is empty.</summary>
    private sealed record EndToEnd(string Label, int Count, TimeSpan Wall)
    {
        public double Throughput => Count / Wall.TotalSeconds;
    }

    private static async Task<EndToEnd> EndToEndAsync(AzuriteServer azurite, string label, int n, int workers, int shards)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Aggregation:Shards"] = shards.ToString(CultureInfo.InvariantCulture),
            ["RecipientFlushSchedule"] = "0 0 0 1 1 *",
            ["Logging:LogLevel:Default"] = "Warning",
            ["AzureFunctionsJobHost:extensions:queues:batchSize"] = workers.ToString(CultureInfo.InvariantCulture),
            ["AzureFunctionsJobHost:extensions:queues:newBatchThreshold"] = (workers == 1 ? 0 : workers / 2).ToString(CultureInfo.InvariantCulture),
        };

        SurveyDefinition survey;
        var surveyId = "bench-" + Guid.NewGuid().ToString("N")[..10];
        await using (var setup = await LocalHostServer.StartAsync(azurite, new Dictionary<string, string?>(settings) { ["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = "1.00:00:00" }))
        {
            var json = (await File.ReadAllTextAsync(RepoPaths.SampleSurvey)).Replace($"\"id\": \"{RepoPaths.SampleSurveyId}\"", $"\"id\": \"{surveyId}\"", StringComparison.Ordinal);
            (await setup.PutSurveyAsync(surveyId, json)).EnsureSuccessStatusCode();
            survey = (await setup.Services.GetRequiredService<SurveyCatalog>().FindAsync(surveyId, CancellationToken.None))!.Definition;
        }

        var keys = new SubmissionKeys(Options.Create(new AnonymityOptions { Secret = LocalSecret() }));
        var store = new SubmissionStore(new TableServiceClient(azurite.ConnectionString));
        var queue = new QueueServiceClient(azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }).GetQueueClient(QueueNames.Submissions);
        var random = new Random(n * 31 + shards);
        await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var submissionId = Guid.NewGuid().ToString();
            Dictionary<string, object> answers;
            lock (random) answers = RandomAnswers(survey, random);
            await store.TryAddAsync(surveyId, keys.ForSubmission(surveyId, submissionId), new RawSubmission
            {
                AnswersJson = JsonSerializer.Serialize(answers, JsonDefaults.Options),
                Email = $"bench{i}@example.org",
                ReceivedAt = DateTimeOffset.UtcNow,
                State = SubmissionState.Enqueued,
            }, ct);
            await queue.SendMessageAsync(JsonSerializer.Serialize(new SubmissionMessage(surveyId, submissionId), JsonDefaults.Options), ct);
        });

        // Timed from the moment the host is listening until the queue is empty (every message handled and deleted).
        await using var host = await LocalHostServer.StartAsync(azurite, settings);
        var started = System.Diagnostics.Stopwatch.StartNew();
        while ((await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0) await Task.Delay(100);
        var measured = new EndToEnd(label, n, started.Elapsed);

        var respondents = (await host.Services.GetRequiredService<ResultsService>().ReadCountsAsync(survey, CancellationToken.None))[Tally.All][Tally.Respondents];
        if (respondents != n) throw new InvalidOperationException($"{label}: counted {respondents} of {n}");
        Console.WriteLine($"  {label}: {n} submissions in {measured.Wall.TotalSeconds:0.0}s, {measured.Throughput:0.0}/s, all counted once");
        return measured;
    }

    private static async Task<Measurements> DirectAsync(AzuriteServer azurite, string label, int n, int workers)
    {
        var services = Services(azurite, 16);
        await services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync(CancellationToken.None);
        var surveyId = "direct-" + Guid.NewGuid().ToString("N")[..10];
        var json = (await File.ReadAllTextAsync(RepoPaths.SampleSurvey)).Replace($"\"id\": \"{RepoPaths.SampleSurveyId}\"", $"\"id\": \"{surveyId}\"", StringComparison.Ordinal);
        var catalog = services.GetRequiredService<SurveyCatalog>();
        await catalog.SaveAsync(surveyId, System.Text.Encoding.UTF8.GetBytes(json), CancellationToken.None);
        var survey = (await catalog.FindAsync(surveyId, CancellationToken.None))!.Definition;
        var keys = services.GetRequiredService<SubmissionKeys>();
        var store = services.GetRequiredService<SubmissionStore>();
        var random = new Random(n);
        var ids = Enumerable.Range(0, n).Select(_ => Guid.NewGuid().ToString()).ToList();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            await store.TryAddAsync(surveyId, keys.ForSubmission(surveyId, id), new RawSubmission
            {
                AnswersJson = JsonSerializer.Serialize(RandomAnswers(survey, random), JsonDefaults.Options),
                Email = $"direct{i}@example.org",
                ReceivedAt = DateTimeOffset.UtcNow,
                State = SubmissionState.Enqueued,
            }, CancellationToken.None);
        }
        var anonymiser = services.GetRequiredService<SubmissionAnonymiser>();
        var measured = await Measurements.RunAsync(label, n, workers, i => anonymiser.ProcessAsync(new SubmissionMessage(surveyId, ids[i]), CancellationToken.None));
        Console.WriteLine($"  {label}: {n} in {measured.Wall.TotalSeconds:0.0}s, {measured.Throughput:0.0}/s, p50 {measured.Percentile(50):0.0} ms");
        return measured;
    }

    private static ServiceProvider Services(AzuriteServer azurite, int shards)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Anonymity:Secret"] = LocalSecret(),
            ["Aggregation:Shards"] = shards.ToString(CultureInfo.InvariantCulture),
        }).Build();
        return new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning)).AddSurveyBackend(configuration).BuildServiceProvider();
    }

    private static async Task<Measurements> CountingAsync(AzuriteServer azurite, string label, int n, int workers, int shards)
    {
        var services = Services(azurite, shards);
        await services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync(CancellationToken.None);
        var counter = services.GetRequiredService<ResponseCounter>();
        var survey = JsonSerializer.Deserialize<SurveyDefinition>(await File.ReadAllTextAsync(RepoPaths.SampleSurvey), JsonDefaults.Options)!;
        var surveyId = "count-" + Guid.NewGuid().ToString("N")[..10];
        var random = new Random(shards * 7 + workers);
        var work = Enumerable.Range(0, n).Select(_ =>
        {
            var answers = RandomAnswers(survey, random).ToDictionary(a => a.Key, a => a.Value is string s ? (IReadOnlyList<string>)[s] : (IReadOnlyList<string>)(string[])a.Value);
            return (Key: Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), Answers: answers);
        }).ToList();
        var measured = await Measurements.RunAsync(label, n, workers, i => counter.CountAsync(surveyId, work[i].Key, work[i].Answers, survey.Segments, CancellationToken.None));
        var total = (await services.GetRequiredService<ResultsService>().ReadCountsAsync(survey with { Id = surveyId }, CancellationToken.None))[Tally.All][Tally.Respondents];
        if (total != n) throw new InvalidOperationException($"{label}: counted {total} of {n}");
        Console.WriteLine($"  {label}: {n} counts in {measured.Wall.TotalSeconds:0.0}s, {measured.Throughput:0.0}/s, p99 {measured.Percentile(99):0} ms");
        return measured;
    }

    internal static string LocalSecret()
    {
        var sample = Path.Combine(RepoPaths.Root, "local.settings.sample.json");
        using var document = JsonDocument.Parse(File.ReadAllText(sample));
        return document.RootElement.GetProperty("Values").GetProperty("Anonymity__Secret").GetString()!;
    }

    internal static Dictionary<string, object> RandomAnswers(SurveyDefinition survey, Random random)
    {
        var answers = new Dictionary<string, object>();
        foreach (var question in survey.Questions)
        {
            var options = question.ChoosableOptionIds;
            if (question.Type == QuestionType.Single)
            {
                answers[question.Id] = options[random.Next(options.Count)];
                continue;
            }
            var exclusive = question.Options.Where(o => o.Exclusive).Select(o => o.Id).ToHashSet();
            var chosen = options.Where(o => !exclusive.Contains(o)).Where(_ => random.Next(3) == 0).Take(question.MaxSelections ?? int.MaxValue).ToArray();
            answers[question.Id] = chosen.Length > 0 ? chosen : [options.First(o => !exclusive.Contains(o))];
        }
        return answers;
    }
}
