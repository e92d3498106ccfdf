using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using SurveyBackend.Storage;
using SurveyBackend.Testing;

namespace SurveyBackend.Benchmarks;

/// <summary>
/// Valid submissions posted through the local host at concurrency 1, 8 and 32, against the floor: the same
/// number of raw table inserts + queue sends made straight through the Azure SDK on the same Azurite.
/// Goal: intake ≥ 0.8× the floor's throughput at concurrency 32, and p99 ≤ 2× the floor's.
/// Options: <c>--n N</c> operations per run at concurrency 8 and 32 (default 1000; a quarter of it at 1);
/// <c>--with-mark</c> also measures the floor plus a third write (marking the row Enqueued), for comparison.
/// </summary>
public sealed class IntakeBenchmark : IBenchmark
{
    public string Name => "intake";
    public string Description => "POST /responses vs raw insert + enqueue (floor), at concurrency 1, 8, 32";

    private const string Answers = """ "organisationType": "county", "region": "wales", "role": "digital", "channels": ["twitter", "facebook", "other"], "maturity": "engage", "customerService": "process", "teamSize": "1-2", "challenge": "skills" """;
    private static readonly string SealedAddress = new('s', 4 * ((12 + Privacy.RecipientSeal.PaddedBytes + 16 + 2) / 3));

    private const int Rounds = 10;

    /// <summary>Like <see cref="Measurements.RunAsync"/>, adding to one measurement across several rounds.</summary>
    private static async Task RunIntoAsync(Measurements into, int total, int concurrency, Func<int, Task> operation)
    {
        var next = -1;
        into.Start();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                await operation(i);
                into.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started));
            }
        }));
        into.Stop();
    }

    public async Task RunAsync(string[] args)
    {
        var n = args.SkipWhile(a => a != "--n").Skip(1).Select(int.Parse).FirstOrDefault(1000);
        var withMark = args.Contains("--with-mark");

        await using var azurite = await AzuriteServer.StartNewAsync();
        await using var host = await LocalHostServer.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Intake:RequestsPerMinute"] = "0",
            ["IntakeSweepSchedule"] = "0 0 0 1 1 *",
            ["Logging:LogLevel:Default"] = "Warning",
            // Intake alone: the anonymiser would otherwise drain the queue during both runs (the aggregate
            // benchmark measures the pipeline). The WebJobs SDK reads this switch as the Functions host does.
            ["AzureWebJobs.AnonymiseSubmission.Disabled"] = "true",
        });
        await host.PutSampleSurveyAsync();

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var table = new TableClient(azurite.ConnectionString, TableNames.Submissions);
        var queue = new QueueClient(azurite.ConnectionString, QueueNames.Submissions, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

        async Task Intake(int _)
        {
            var body = $$"""{ "submissionId": "{{Guid.NewGuid()}}", "answers": { {{Answers}} }, "other": { "channels": "A local forum" }, "respondent": { "email": "jo@example.gov.uk", "wantsReport": true, "consent": true }, "website": "" }""";
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync($"api/surveys/{RepoPaths.SampleSurveyId}/responses", content);
            if (response.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"intake answered {(int)response.StatusCode}");
        }

        // What intake must do at the least: one row like intake's, then one reference-only message.
        async Task Floor(int _)
        {
            var id = Guid.NewGuid().ToString();
            await table.AddEntityAsync(new TableEntity(RepoPaths.SampleSurveyId, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id))))
            {
                ["SubmissionId"] = id,
                ["AnswersJson"] = "{" + Answers + "}",
                ["OtherJson"] = """{"channels":"A local forum"}""",
                // The address as intake stores it: sealed and padded to one size (388 characters of base64).
                ["SealedAddress"] = SealedAddress,
                ["State"] = "Pending",
            });
            await queue.SendMessageAsync(JsonSerializer.Serialize(new { surveyId = RepoPaths.SampleSurveyId, submissionId = id }));
        }

        // The floor plus the third write the lead's design adds (mark Enqueued): what that write costs on its own.
        async Task FloorWithMark(int _)
        {
            var id = Guid.NewGuid().ToString();
            var rowKey = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
            var added = await table.AddEntityAsync(new TableEntity(RepoPaths.SampleSurveyId, rowKey)
            {
                ["SubmissionId"] = id,
                ["AnswersJson"] = "{" + Answers + "}",
                // The address as intake stores it: sealed and padded to one size (388 characters of base64).
                ["SealedAddress"] = SealedAddress,
                ["State"] = "Pending",
            });
            await queue.SendMessageAsync(JsonSerializer.Serialize(new { surveyId = RepoPaths.SampleSurveyId, submissionId = id }));
            await table.UpdateEntityAsync(new TableEntity(RepoPaths.SampleSurveyId, rowKey) { ["State"] = "Enqueued" }, added.Headers.ETag!.Value, TableUpdateMode.Merge);
        }

        // Warm both paths (JIT, connections, the survey cache) before measuring.
        await Measurements.RunAsync("warm-up", 100, 8, Floor);
        await Measurements.RunAsync("warm-up", 100, 8, Intake);

        Console.WriteLine($"Intake benchmark: {n} operations per run (n/4 at concurrency 1), floor and intake alternating in {Rounds} rounds, {Environment.ProcessorCount} cores");
        var summary = new List<string>();
        foreach (var concurrency in new[] { 1, 8, 32 })
        {
            var total = concurrency == 1 ? Math.Max(50, n / 4) : n;
            var floor = new Measurements($"floor (SDK) c={concurrency}");
            var intake = new Measurements($"intake (HTTP) c={concurrency}");
            var marked = new Measurements($"floor+mark (SDK) c={concurrency}");
            // Alternating rounds, so a burst of load from elsewhere on the machine hits both sides alike.
            for (var round = 0; round < Rounds; round++)
            {
                // Each goes first in every other round, so neither always follows the other's leftovers.
                if (round % 2 == 0) await RunIntoAsync(floor, total / Rounds, concurrency, Floor);
                await RunIntoAsync(intake, total / Rounds, concurrency, Intake);
                if (round % 2 == 1) await RunIntoAsync(floor, total / Rounds, concurrency, Floor);
                if (withMark) await RunIntoAsync(marked, total / Rounds, concurrency, FloorWithMark);
            }
            Console.WriteLine();
            Console.WriteLine($"concurrency {concurrency}:");
            Measurements.PrintComparison(intake, floor);
            if (withMark) Measurements.PrintComparison(marked, floor);
            summary.Add($"  c={concurrency,-3} throughput {intake.Throughput / floor.Throughput:0.00}x  p99 {intake.Percentile(99) / floor.Percentile(99):0.00}x");
        }
        var left = (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
        Console.WriteLine();
        Console.WriteLine($"messages left on the submissions queue: {left} (the anonymiser was off)");
        Console.WriteLine("intake / floor (goal at c=32: throughput >= 0.80x, p99 <= 2.00x):");
        foreach (var line in summary) Console.WriteLine(line);
    }
}
