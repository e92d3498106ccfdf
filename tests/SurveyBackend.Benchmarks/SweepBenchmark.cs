using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SurveyBackend.Intake;
using SurveyBackend.Privacy;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using SurveyBackend.Testing;

namespace SurveyBackend.Benchmarks;

/// <summary>
/// The storage calls of one run of the intake sweeper (<see cref="PendingSweeper"/>) as the submissions table fills
/// with history: 100, then 100,000 processed submissions (tombstones) of the sample survey, beside a few that are
/// still pending but too young to sweep. A sweep must cost the same, and at most 3 calls, however much history there
/// is. Then the same with some rows due, to show what each re-sent row adds. Args: [small = 100] [large = 100000].
/// </summary>
public sealed class SweepBenchmark : IBenchmark
{
    private const int Young = 50;
    private const int Due = 10;

    public string Name => "sweep";
    public string Description => "Storage calls of one intake sweep with 100 and with 100,000 processed submissions in the table";

    public async Task RunAsync(string[] args)
    {
        var small = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
        var large = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        await using var azurite = await AzuriteServer.StartNewAsync();
        var calls = new StorageCalls();
        await using var services = Services(azurite, calls);
        await services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync(CancellationToken.None);
        var surveyId = await NewSurveyAsync(services);
        var store = services.GetRequiredService<SubmissionStore>();
        var keys = services.GetRequiredService<PrivacyKeys>();
        var sweeper = services.GetRequiredService<PendingSweeper>();
        Console.WriteLine($"sweep: one survey; {Young} pending rows too young to sweep in every run");

        // Pending rows that arrived just now: in the pending range, but not yet due (SweepAge is 2 minutes).
        for (var i = 0; i < Young; i++) await store.TryAddAsync(surveyId, keys.ForSubmission(surveyId, Guid.NewGuid().ToString()), Raw(), CancellationToken.None);

        var processed = 0;
        var results = new List<(int Processed, long Calls, int Sent)>();
        foreach (var history in new[] { small, large })
        {
            processed += await AddProcessedAsync(azurite, store, keys, surveyId, history - processed);
            var before = calls.Snapshot().Requests;
            var sent = await sweeper.SweepAsync(CancellationToken.None);
            var used = calls.Snapshot().Requests - before;
            results.Add((processed, used, sent));
            Console.WriteLine($"  {processed,9:N0} processed submissions in the table: one sweep made {used} storage calls, re-sent {sent}");
        }

        // Rows whose message was lost: a sweep three minutes later (a row is due by its storage Timestamp) finds them and
        // the young ones due; each costs the sweep a send and a mark, the reads stay as they were.
        for (var i = 0; i < Due; i++) await store.TryAddAsync(surveyId, keys.ForSubmission(surveyId, Guid.NewGuid().ToString()), Raw(), CancellationToken.None);
        var later = ActivatorUtilities.CreateInstance<PendingSweeper>(services, new LaterClock(TimeSpan.FromMinutes(3)));
        var start = calls.Snapshot().Requests;
        var resent = await later.SweepAsync(CancellationToken.None);
        Console.WriteLine($"  {processed,9:N0} processed and {Young + Due} due: one sweep made {calls.Snapshot().Requests - start} storage calls, re-sent {resent} (a send and a mark each)");

        var worst = results.Max(r => r.Calls);
        Console.WriteLine();
        Console.WriteLine($"Goal: at most 3 storage calls per sweep, the same at {small:N0} and {large:N0} processed: " +
            $"{string.Join(" and ", results.Select(r => r.Calls))} calls — {(worst <= 3 && results.All(r => r.Calls == results[0].Calls) ? "met" : "NOT met")}");
    }

    private static RawSubmission Raw() => new()
    {
        SubmissionId = Guid.NewGuid().ToString(),
        Answers = new Answers { Chosen = new Dictionary<string, IReadOnlyList<string>> { ["organisationType"] = ["county"] } },
        SealedAddress = new string('s', 388),
        KeepAddressUntil = DateTimeOffset.UtcNow.AddDays(7),
    };

    /// <summary>
    /// Leaves <paramref name="n"/> submissions as processing leaves them: a key row (the tombstone) each. The first few go
    /// through the store (add, then complete, as intake and the anonymiser do); the rest, for speed, as key rows written
    /// a hundred per transaction, which is the same row.
    /// </summary>
    private static async Task<int> AddProcessedAsync(AzuriteServer azurite, SubmissionStore store, PrivacyKeys keys, string surveyId, int n)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var throughStore = Math.Min(n, 20);
        for (var i = 0; i < throughStore; i++)
        {
            var key = keys.ForSubmission(surveyId, Guid.NewGuid().ToString());
            await store.TryAddAsync(surveyId, key, Raw(), CancellationToken.None);
            await store.CompleteAsync(surveyId, key, address: null, CancellationToken.None);
        }
        var table = new TableClient(azurite.ConnectionString, TableNames.Submissions);
        var rest = Enumerable.Range(0, n - throughStore).Select(_ => keys.ForSubmission(surveyId, Guid.NewGuid().ToString())).Chunk(100).ToList();
        await Parallel.ForEachAsync(rest, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (chunk, ct) =>
            await table.SubmitTransactionAsync([.. chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(surveyId, k)))], ct));
        Console.WriteLine($"  (added {n:N0} processed submissions in {started.Elapsed.TotalSeconds:0.0}s)");
        return n;
    }

    private sealed class LaterClock(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + ahead;
    }

    private static ServiceProvider Services(AzuriteServer azurite, StorageCalls calls)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Anonymity:Secret"] = PipelineBenchmark.LocalSecret(),
        }).Build();
        var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning)).AddSurveyBackend(configuration);
        services.AddAzureClients(clients => clients.ConfigureDefaults(o => o.AddPolicy(calls, Azure.Core.HttpPipelinePosition.PerCall)));
        return services.BuildServiceProvider();
    }

    private static async Task<string> NewSurveyAsync(IServiceProvider services)
    {
        var surveyId = $"sweep-{Guid.NewGuid().ToString("N")[..10]}";
        var json = await RepoPaths.SampleSurveyJsonAsync(surveyId);
        await services.GetRequiredService<SurveyCatalog>().SaveAsync(surveyId, System.Text.Encoding.UTF8.GetBytes(json), CancellationToken.None);
        return surveyId;
    }
}
