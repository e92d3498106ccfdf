using System.Diagnostics;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using SurveyBackend.Aggregation;
using SurveyBackend.Anonymity;
using SurveyBackend.Mailing;
using SurveyBackend.Reports;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using SurveyBackend.Testing;
using SurveyBackend.Privacy;

namespace SurveyBackend.Benchmarks;

/// <summary>
/// Mails one report to N recipients (default 10,000) through the loopback SendGrid server: API calls (goal N/1,000),
/// wall time of the mailing run, and peak memory. The floor, measured in the same run, is the same API calls made
/// straight from the sender with no storage or state, so the ratio is what per-recipient state costs.
/// </summary>
public sealed class MailingBenchmark : IBenchmark
{
    public string Name => "mailing";
    public string Description => "[recipients=10000] mail a report through a loopback SendGrid: API calls, wall time, peak memory";

    public async Task RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
        await using var azurite = await AzuriteServer.StartNewAsync();
        await using var sendGrid = await FakeSendGridServer.StartAsync();
        await using var host = await LocalHostServer.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Email:Provider"] = "SendGrid",
            ["SendGrid:ApiKey"] = "SG.benchmark",
            ["SendGrid:Host"] = sendGrid.Host,
            ["Report:PublicBaseUrl"] = "https://reports.example.org",
        });

        var json = JsonNode.Parse(await File.ReadAllTextAsync(RepoPaths.SampleSurvey))!.AsObject();
        json["status"] = "closed";
        using (var put = await host.PutSurveyAsync(RepoPaths.SampleSurveyId, json.ToJsonString())) put.EnsureSuccessStatusCode();
        var survey = (await host.Services.GetRequiredService<SurveyCatalog>().FindAsync(RepoPaths.SampleSurveyId, CancellationToken.None))!.Definition;
        await SeedCountsAsync(host.Services.GetRequiredService<AggregateStore>(), survey, 412);

        Console.WriteLine($"Adding {count:N0} recipients...");
        var keys = host.Services.GetRequiredService<PrivacyKeys>();
        var table = new TableClient(azurite.ConnectionString, TableNames.Recipients);
        var emails = Enumerable.Range(0, count).Select(i => $"person{i:D6}@example.gov.uk").ToList();
        foreach (var chunk in emails.Chunk(100))
        {
            await table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                new TableEntity(survey.Id, keys.ForRecipient(survey.Id, e)) { ["Email"] = e })));
        }
        var publisher = host.Services.GetRequiredService<ReportPublisher>();
        var published = await publisher.PublishAsync(survey.Id,
            new PublishRequest("Benchmark report", "A **short** summary.", DateTimeOffset.UtcNow.AddMinutes(-1), null), CancellationToken.None);
        var report = Report.FromStored((await host.Services.GetRequiredService<ReportStore>().FindAsync(published.Report!.Id, CancellationToken.None))!);

        // The floor: the same batches sent straight from the sender, no storage, no state.
        var sender = host.Services.GetRequiredService<IEmailSender>();
        var tokens = host.Services.GetRequiredService<UnsubscribeTokens>();
        var content = host.Services.GetRequiredService<ReportEmailRenderer>().RenderEmail(report, publisher.PageUrl(report.Id));
        var floor = Stopwatch.StartNew();
        foreach (var chunk in emails.Chunk(1000))
        {
            await sender.SendAsync(new EmailBatch("floor", content,
                [.. chunk.Select(e => new EmailRecipient(e, e, "https://reports.example.org/api/unsubscribe?token=" + tokens.Create(e)))]), CancellationToken.None);
        }
        floor.Stop();
        var floorCalls = sendGrid.Requests.Count;
        sendGrid.Reset();

        // The mailer, one run, with peak memory sampled while it works.
        var mailer = host.Services.GetRequiredService<ReportMailer>();
        GC.Collect();
        var heapBefore = GC.GetTotalMemory(true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long peakHeap = heapBefore;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                try { await Task.Delay(20, sampling.Token); } catch (OperationCanceledException) { }
            }
        });
        var wall = Stopwatch.StartNew();
        var run = await mailer.RunAsync(TimeSpan.FromMinutes(4), CancellationToken.None);
        wall.Stop();
        await sampling.CancelAsync();
        await sampler;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        var requests = sendGrid.Accepted(report.Id);
        var sent = requests.SelectMany(r => r.Recipients).ToList();
        var bodyBytes = requests.Sum(r => (long)r.Body.Length);
        Console.WriteLine();
        Console.WriteLine($"mailing: {count:N0} recipients, one report");
        Console.WriteLine($"  API calls                 {sendGrid.Requests.Count,10}   (goal {Math.Ceiling(count / 1000.0)}; {run.Requests} counted by the mailer)");
        Console.WriteLine($"  recipients mailed         {sent.Count,10:N0}   distinct {sent.Distinct().Count():N0}, missed {emails.Except(sent).Count()}");
        Console.WriteLine($"  request body, average     {bodyBytes / Math.Max(1, requests.Count) / 1024.0,10:0} KiB");
        Console.WriteLine($"  wall time, mailing run    {wall.Elapsed.TotalSeconds,10:0.00} s   ({count / wall.Elapsed.TotalSeconds:N0} recipients/s)");
        Console.WriteLine($"  floor (sender only)       {floor.Elapsed.TotalSeconds,10:0.00} s   ({floorCalls} calls)");
        Console.WriteLine($"  ratio mailer / floor      {wall.Elapsed.TotalSeconds / floor.Elapsed.TotalSeconds,10:0.00}x");
        Console.WriteLine($"  peak managed heap         {peakHeap / 1048576.0,10:0.0} MiB   (before the run {heapBefore / 1048576.0:0.0} MiB; whole process incl. host)");
        Console.WriteLine($"  allocated during the run  {allocated / 1048576.0,10:0.0} MiB");
        Console.WriteLine($"  process peak working set  {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0,10:0.0} MiB");
    }

    /// <summary>Counts for everyone only (no segments), falling per option, written through the real store.</summary>
    private static async Task SeedCountsAsync(AggregateStore store, SurveyDefinition survey, int respondents)
    {
        var counts = new Dictionary<string, long> { [Tally.Respondents] = respondents };
        foreach (var q in survey.Questions)
        {
            counts[Tally.Answered(q.Id)] = respondents;
            foreach (var (id, i) in q.ChoosableOptionIds.Select((id, i) => (id, i))) counts[Tally.Chose(q.Id, id)] = respondents / (i + 2);
        }
        var applied = await store.TryApplyAsync(survey.Id, 0, [], [new CounterRow(Tally.All, counts, null)], CancellationToken.None);
        if (applied.Outcome != ApplyOutcome.Applied) throw new InvalidOperationException("Seeding the counts failed.");
    }
}
