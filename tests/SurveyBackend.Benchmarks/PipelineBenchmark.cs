using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using SurveyBackend.Aggregation;
using SurveyBackend.Anonymity;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using SurveyBackend.Testing;
using SurveyBackend.Web;
using SurveyBackend.Privacy;

namespace SurveyBackend.Benchmarks;

/// <summary>
/// The anonymise-and-count pipeline end to end on the local stack (local host + Azurite): queued submissions of the
/// sample survey processed by the queue trigger at 1 and 16 workers, beside the floor (as many entities as the
/// pipeline wrote, written by plain single-entity inserts, same run; the shipped pipeline and the floor each the faster
/// of two, run in turn) and beside a naive design (one counter partition, every worker alone against its ETag). Both
/// designs are warmed up first, untimed. Then the counter alone, sharded against naive, at 1 and 16 workers.
/// Args: [submissions at 16 workers = 10000] [submissions at 1 worker = 500] [counts = 1000] [backlog = 256].
/// </summary>
public sealed class PipelineBenchmark : IBenchmark
{
    public string Name => "pipeline";
    public string Description => "Anonymise + count end to end vs table-write floor and a naive single-row counter, at 1 and 16 workers";

    /// <summary>The shipped counter (16 shards, group commit) and the naive one (one partition, one response per transaction).</summary>
    private static readonly (string Name, int Shards, int PerTransaction) Sharded = ("sharded", 16, new AggregationOptions().MaxResponsesPerTransaction);
    private static readonly (string Name, int Shards, int PerTransaction) Naive = ("naive", 1, 1);

    public async Task RunAsync(string[] args)
    {
        var many = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var few = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
        var counts = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000;
        var backlog = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 256;
        Console.WriteLine($"pipeline: {many} submissions at 16 workers, {few} at 1 worker, at most {backlog} waiting in the queue; {counts} counts per counter run");
        Console.WriteLine("Each run below has an Azurite of its own, so none inherits another's data or leftover work.");
        await using (var azurite = await AzuriteServer.StartNewAsync()) await AzuriteQueueCostAsync(azurite);

        // Discarded: the first host in this process compiles the whole stack (Kestrel, the WebJobs SDK, the storage
        // clients, the pipeline) as it goes. Without a warm-up the first design measured, the shipped one at 1 worker,
        // paid for that alone and ran slower than the naive one after it with the same storage calls.
        Console.WriteLine("Warm-up (not measured): both designs, 1 worker, so that neither is measured cold.");
        foreach (var design in new[] { Sharded, Naive })
        {
            await using var azurite = await AzuriteServer.StartNewAsync();
            await EndToEndAsync(azurite, Math.Min(few, 200), 1, backlog, design);
        }

        var rows = new List<(int Workers, double Floor, EndToEnd Sharded, EndToEnd Naive)>();
        foreach (var (workers, n) in new[] { (1, few), (16, many) })
        {
            EndToEnd sharded, naive;
            await using (var azurite = await AzuriteServer.StartNewAsync()) sharded = await EndToEndAsync(azurite, n, workers, backlog, Sharded);
            await using (var azurite = await AzuriteServer.StartNewAsync()) naive = await EndToEndAsync(azurite, n, workers, backlog, Naive);
            // The floor writes as many entities as the shipped pipeline did, one insert each, at the same concurrency.
            // The shipped pipeline and the floor each run twice, in turn, each on an Azurite of its own, and the faster
            // of each counts: one floor run swung between 1,050 and 1,950/s from run to run, and one pipeline run
            // between 139 and 195/s, so one slow run of either would make the ratio say more about the machine's moment
            // than about the design.
            var entities = (int)sharded.Calls.EntityWrites;
            var floor = 0.0;
            for (var attempt = 1; attempt <= 2; attempt++)
            {
                if (attempt == 2)
                {
                    await using var again = await AzuriteServer.StartNewAsync();
                    var second = await EndToEndAsync(again, n, workers, backlog, Sharded);
                    if (second.Throughput > sharded.Throughput) sharded = second;
                }
                await using var azurite = await AzuriteServer.StartNewAsync();
                var table = new TableServiceClient(azurite.ConnectionString).GetTableClient("floor");
                await table.CreateIfNotExistsAsync();
                var partition = Guid.NewGuid().ToString("N");
                var m = await Measurements.RunAsync($"floor, {workers}", entities, workers, i => table.AddEntityAsync(new TableEntity(partition, i.ToString("D8", CultureInfo.InvariantCulture))));
                floor = Math.Max(floor, m.Throughput);
                Console.WriteLine($"  floor, {workers} ({attempt} of 2): {entities} single-entity inserts in {m.Wall.TotalSeconds:0.0}s, {m.Throughput:0.0}/s");
            }
            rows.Add((workers, floor, sharded, naive));
        }

        Console.WriteLine();
        Console.WriteLine("End to end (queue trigger on the local host). floor = single-entity inserts/s. Storage calls and entity writes");
        Console.WriteLine("per submission are counted on the app's clients, plus the trigger's own receive (1 per batch) and delete (1 each):");
        Console.WriteLine($"  {"workers",7} {"design",8} {"subs/s",8} {"calls/sub",10} {"writes/sub",11} {"floor",8} {"per sub",8} {"per write",10} {"per call",9}");
        foreach (var r in rows)
        {
            foreach (var e in new[] { r.Sharded, r.Naive })
            {
                Console.WriteLine($"  {r.Workers,7} {e.Design,8} {e.Throughput,8:0.0} {e.CallsPerSubmission,10:0.00} {e.WritesPerSubmission,11:0.00} {r.Floor,8:0} " +
                    $"{e.Throughput / r.Floor,7:0.00}x {e.Throughput * e.WritesPerSubmission / r.Floor,9:0.00}x {e.Throughput * e.CallsPerSubmission / r.Floor,8:0.00}x");
            }
        }

        Console.WriteLine();
        Console.WriteLine("The counter alone (one response = one count), counts/s:");
        await using var counting = await AzuriteServer.StartNewAsync();
        var counter1 = await CountingAsync(counting, counts / 4, 1, Sharded);
        var naiveCounter1 = await CountingAsync(counting, counts / 4, 1, Naive);
        var counter16 = await CountingAsync(counting, counts, 16, Sharded);
        var naiveCounter16 = await CountingAsync(counting, counts, 16, Naive);
        Measurements.PrintComparison(counter1, naiveCounter1);
        Measurements.PrintComparison(counter16, naiveCounter16);

        var (at1, at16) = (rows[0], rows[1]);
        static double PerWrite(EndToEnd e, double floor) => e.Throughput * e.WritesPerSubmission / floor;
        Console.WriteLine();
        Console.WriteLine($"Goals: pipeline per entity written >= 0.55x the floor at 16 workers: {PerWrite(at16.Sharded, at16.Floor):0.00}x, " +
            $">= 0.45x at 1 worker: {PerWrite(at1.Sharded, at1.Floor):0.00}x; storage calls per submission <= 5 at 16: {at16.Sharded.CallsPerSubmission:0.00}; " +
            $"sharded >= 3x naive at 16: end to end {at16.Sharded.Throughput / at16.Naive.Throughput:0.00}x, counter alone {counter16.Throughput / naiveCounter16.Throughput:0.00}x");
    }

    private sealed record EndToEnd(string Design, int Count, int Workers, TimeSpan Wall, StorageCalls.Counts Calls)
    {
        public double Throughput => Count / Wall.TotalSeconds;
        // The queue trigger's own calls: a receive per batch (batchSize = workers), a delete per message.
        public double CallsPerSubmission => (Calls.Requests + (double)Count / Workers + Count) / Count;
        public double WritesPerSubmission => (double)Calls.EntityWrites / Count;
    }

    /// <summary>
    /// Stores <paramref name="n"/> raw submissions, starts a host, and times it from the first message until the last is
    /// handled and deleted, sending one message as each submission finishes so that <paramref name="backlog"/> wait (as
    /// intake does while people respond; see <see cref="Feeder"/>). Azurite scans every message it holds on each queue
    /// call (see <see cref="AzuriteQueueCostAsync"/>), so 10,000 messages queued up front would measure the emulator.
    /// </summary>
    private static async Task<EndToEnd> EndToEndAsync(AzuriteServer azurite, int n, int workers, int backlog, (string Name, int Shards, int PerTransaction) design)
    {
        var settings = new Dictionary<string, string?>
        {
            // The secret the rows below are keyed with: the host must read them with the same one.
            ["Anonymity:Secret"] = LocalSecret(),
            ["Aggregation:Shards"] = design.Shards.ToString(CultureInfo.InvariantCulture),
            ["Aggregation:MaxResponsesPerTransaction"] = design.PerTransaction.ToString(CultureInfo.InvariantCulture),
            ["RecipientFlushSchedule"] = "0 0 0 1 1 *",
            ["Logging:LogLevel:Default"] = "Warning",
            ["AzureFunctionsJobHost:extensions:queues:batchSize"] = workers.ToString(CultureInfo.InvariantCulture),
            ["AzureFunctionsJobHost:extensions:queues:newBatchThreshold"] = (workers == 1 ? 0 : workers / 2).ToString(CultureInfo.InvariantCulture),
        };
        var label = $"pipeline {design.Name}, {workers}";
        var services = Services(azurite, design.Shards);
        var (surveyId, survey) = await NewSurveyAsync(services, "bench");
        var keys = services.GetRequiredService<PrivacyKeys>();
        var seal = services.GetRequiredService<RecipientSeal>();
        var store = services.GetRequiredService<SubmissionStore>();
        var random = new Random(n * 31 + design.Shards);
        var ids = new string[n];
        await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            ids[i] = Guid.NewGuid().ToString();
            Dictionary<string, object> answers;
            lock (random) answers = RandomAnswers(survey, random);
            await store.TryAddAsync(surveyId, keys.ForSubmission(surveyId, ids[i]), new RawSubmission
            {
                SubmissionId = ids[i],
                Answers = new Answers { Chosen = Lists(answers) },
                // Everyone asks for the report: the most work per submission.
                SealedAddress = seal.SealAddress(surveyId, $"bench{i}@example.org", null),
                State = SubmissionState.Enqueued,
            }, ct);
        });

        var queue = new QueueServiceClient(azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }).GetQueueClient(QueueNames.Submissions);
        var feeder = new Feeder(n, workers);
        Task SendAsync(int i, CancellationToken ct) =>
            queue.SendMessageAsync(JsonSerializer.Serialize(new SubmissionMessage(surveyId, ids[i]), JsonDefaults.Options), ct);
        // The first backlog waits before the host starts; after that, one message goes as each submission finishes.
        await Parallel.ForEachAsync(Enumerable.Range(0, feeder.Claim(Math.Min(backlog, n))), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            await SendAsync(i, ct);
            feeder.Sent();
        });

        var calls = new StorageCalls();
        await using var host = await LocalHostServer.StartAsync(azurite, settings, s =>
        {
            s.AddAzureClients(clients => clients.ConfigureDefaults(o => o.AddPolicy(calls, Azure.Core.HttpPipelinePosition.PerCall)));
            s.RemoveAll<IPipelineFaults>();
            s.AddSingleton<IPipelineFaults>(feeder);
        });
        var started = System.Diagnostics.Stopwatch.StartNew();
        // Eight senders per worker: a send waits in Azurite's one queue of requests behind every worker's calls, and with
        // two per worker the queue ran short in up to a quarter of the finishes of a 10,000 run (none short with eight).
        await Task.WhenAll(Enumerable.Range(0, Senders(workers)).Select(async _ =>
        {
            while (await feeder.NextAsync() is { } i)
            {
                await SendAsync(i, CancellationToken.None);
                feeder.Sent();
            }
        }));
        // The last messages are deleted just after their submissions finish: the run ends when the queue is empty.
        // Until all have been seen to finish it asks only twice a second (a finish can go unseen, as above).
        async Task<bool> EmptyAsync() => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0;
        while (!feeder.AllFinished.IsCompleted)
        {
            if (await Task.WhenAny(feeder.AllFinished, Task.Delay(500)) != feeder.AllFinished && await EmptyAsync()) break;
        }
        while (!await EmptyAsync()) await Task.Delay(10);
        var measured = new EndToEnd(design.Name, n, workers, started.Elapsed, calls.Snapshot());

        var respondents = Respondents(await host.Services.GetRequiredService<ResultsService>().ReadCountsAsync(survey, CancellationToken.None));
        if (respondents == 0) throw new InvalidOperationException($"{label}: nothing was counted of {n} submissions: the host handled every message but found no row it could read (a different Anonymity:Secret from the one the rows were keyed with?)");
        if (respondents != n) throw new InvalidOperationException($"{label}: counted {respondents} of {n}");
        Console.WriteLine($"  {label}: {n} submissions in {measured.Wall.TotalSeconds:0.0}s, {measured.Throughput:0.0}/s, all counted once; " +
            $"{feeder.Short} of {n} finished with fewer than {workers} sent and unfinished while more were still to send");
        return measured;
    }

    private static int Senders(int workers) => Math.Max(4, 8 * workers);

    /// <summary>
    /// Keeps the queue at the backlog without asking Azurite how full it is (a queue's properties cost it a scan of every
    /// message it holds, as a delete does): the host tells it, through the anonymiser's step seam, each time a
    /// submission finishes, and that frees one message to send. <see cref="Short"/> counts the finishes that left fewer
    /// messages sent and unfinished than there are workers while more were still to send: a feeder that fell behind,
    /// leaving workers idle, which would count against the pipeline.
    /// </summary>
    private sealed class Feeder(int total, int workers) : IPipelineFaults
    {
        private readonly SemaphoreSlim _credits = new(0);
        private readonly TaskCompletionSource _allFinished = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _claimed, _sent, _finished, _short;
        private long _lastUncredited;

        public Task AllFinished => _allFinished.Task;
        public int Short => Volatile.Read(ref _short);

        /// <summary>Claims up to <paramref name="count"/> messages to send now, without waiting; returns how many.</summary>
        public int Claim(int count)
        {
            _claimed = Math.Min(count, total);
            return _claimed;
        }

        /// <summary>The next message to send, once a submission has finished to make room for it; null when all are claimed.</summary>
        public async Task<int?> NextAsync()
        {
            while (Volatile.Read(ref _claimed) < total)
            {
                // A submission can finish unseen (a write stored whose answer timed out fails the attempt, and the
                // redelivery finds the work done), and its credit would be lost: so one message a second, among all
                // the senders, goes without a credit while none comes. A stall then adds at most one a second.
                if (!await _credits.WaitAsync(TimeSpan.FromSeconds(1)) && !TakeUncredited()) continue;
                var next = Interlocked.Increment(ref _claimed) - 1;
                if (next < total) return next;
            }
            // Wake the other senders so that they see that all are claimed.
            _credits.Release(Senders(workers));
            return null;
        }

        public void Sent() => Interlocked.Increment(ref _sent);

        private bool TakeUncredited()
        {
            var (now, last) = (Environment.TickCount64, Volatile.Read(ref _lastUncredited));
            return now - last >= 1000 && Interlocked.CompareExchange(ref _lastUncredited, now, last) == last;
        }

        public void Check(string step)
        {
            if (step != PipelineSteps.Tombstoned) return;
            var finished = Interlocked.Increment(ref _finished);
            var sent = Volatile.Read(ref _sent);
            if (sent < total && sent - finished < workers) Interlocked.Increment(ref _short);
            _credits.Release();
            if (finished == total) _allFinished.TrySetResult();
        }
    }

    /// <summary>What one queue call costs Azurite as the messages it holds grow: why the end-to-end runs keep a bounded backlog.</summary>
    private static async Task AzuriteQueueCostAsync(AzuriteServer azurite)
    {
        var queue = new QueueServiceClient(azurite.ConnectionString).GetQueueClient("held");
        await queue.CreateIfNotExistsAsync();
        Console.WriteLine("Azurite's queue delete, 16 at once, by messages held:");
        var held = 0;
        foreach (var size in new[] { 100, 1000, 4000 })
        {
            await Parallel.ForEachAsync(Enumerable.Range(held, size - held), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, ct) => await queue.SendMessageAsync("x", ct));
            held = size;
            var taken = (await queue.ReceiveMessagesAsync(32)).Value;
            var m = await Measurements.RunAsync($"delete, {size} held", taken.Length, 16, i => queue.DeleteMessageAsync(taken[i].MessageId, taken[i].PopReceipt));
            held -= taken.Length;
            Console.WriteLine($"  {m.Label,-20} {m.Throughput,7:0}/s");
        }
        await queue.DeleteAsync();
    }

    private static async Task<Measurements> CountingAsync(AzuriteServer azurite, int n, int workers, (string Name, int Shards, int PerTransaction) design)
    {
        var services = Services(azurite, design.Shards, design.PerTransaction);
        var (surveyId, survey) = await NewSurveyAsync(services, "count");
        var counter = services.GetRequiredService<ResponseCounter>();
        var random = new Random(design.Shards * 7 + workers);
        var work = Enumerable.Range(0, n).Select(_ => new AnonymousResponse(
            surveyId, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), "2026-01-01", new Answers { Chosen = Lists(RandomAnswers(survey, random)) })).ToList();
        var measured = await Measurements.RunAsync($"counter {design.Name}, {workers}", n, workers, i => counter.CountAsync(work[i], survey, CancellationToken.None));
        var total = Respondents(await services.GetRequiredService<ResultsService>().ReadCountsAsync(survey, CancellationToken.None));
        if (total != n) throw new InvalidOperationException($"{measured.Label}: counted {total} of {n}");
        Console.WriteLine($"  {measured.Label}: {n} counts in {measured.Wall.TotalSeconds:0.0}s, {measured.Throughput:0.0}/s, p99 {measured.Percentile(99):0} ms");
        return measured;
    }

    private static ServiceProvider Services(AzuriteServer azurite, int shards, int perTransaction = 32)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Anonymity:Secret"] = LocalSecret(),
            ["Aggregation:Shards"] = shards.ToString(CultureInfo.InvariantCulture),
            ["Aggregation:MaxResponsesPerTransaction"] = perTransaction.ToString(CultureInfo.InvariantCulture),
        }).Build();
        return new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning)).AddSurveyBackend(configuration).BuildServiceProvider();
    }

    /// <summary>A fresh copy of the sample survey under a new id, saved through the catalog.</summary>
    private static async Task<(string SurveyId, SurveyDefinition Survey)> NewSurveyAsync(ServiceProvider services, string prefix)
    {
        await services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync(CancellationToken.None);
        var surveyId = $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";
        var json = await RepoPaths.SampleSurveyJsonAsync(surveyId);
        var catalog = services.GetRequiredService<SurveyCatalog>();
        await catalog.SaveAsync(surveyId, System.Text.Encoding.UTF8.GetBytes(json), CancellationToken.None);
        return (surveyId, (await catalog.FindAsync(surveyId, CancellationToken.None))!.Definition);
    }

    /// <summary>Respondents counted so far; 0 while nothing is (the counts then have no "all" scope at all).</summary>
    private static long Respondents(IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> counts) =>
        counts.TryGetValue(Tally.All, out var all) && all.TryGetValue(Tally.Respondents, out var respondents) ? respondents : 0;

    /// <summary>The sample's secret: the benchmarks seed rows with it and give it to their hosts, whatever local.settings.json says.</summary>
    internal static string LocalSecret()
    {
        var sample = Path.Combine(RepoPaths.Root, "local.settings.sample.json");
        using var document = JsonDocument.Parse(File.ReadAllText(sample));
        return document.RootElement.GetProperty("Values").GetProperty("Anonymity__Secret").GetString()!;
    }

    /// <summary>The wire shape of docs/openapi.json (a string for a single choice) as the app's one shape: a list for every question.</summary>
    internal static Dictionary<string, IReadOnlyList<string>> Lists(Dictionary<string, object> answers) =>
        answers.ToDictionary(a => a.Key, a => a.Value is string s ? (IReadOnlyList<string>)[s] : (IReadOnlyList<string>)(string[])a.Value);

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
