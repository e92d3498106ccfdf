using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SurveyBackend.Mailing;
using SurveyBackend.Privacy;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using SurveyBackend.Testing;

namespace SurveyBackend.Benchmarks;

/// <summary>
/// The storage calls of the retention pass that ends every mailer run (<see cref="RecipientRetention"/>), and of one
/// unsubscribe's erasure (<see cref="AddressErasure"/>). Surveys closed yesterday, each with a final report mailed to
/// its recipients: a pass before their deadline, the pass that deletes everything, and a pass after it, against the
/// floor of a pass over the same surveys before any address was written. Goal: the pass after the deletion costs what
/// the floor costs (nothing re-reads the history), and neither grows with the addresses ever written.
/// Args: [surveys = 20] [recipients per survey = 1000].
/// </summary>
public sealed class RetentionBenchmark : IBenchmark
{
    public string Name => "retention";
    public string Description => "Storage calls of the retention pass (before, at and after the deletion) and of one unsubscribe's erasure";

    public async Task RunAsync(string[] args)
    {
        var surveys = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        var perSurvey = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
        await using var azurite = await AzuriteServer.StartNewAsync();
        var calls = new StorageCalls();
        var clock = new MovableClock();
        await using var services = Services(azurite, calls, clock);
        await services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync(CancellationToken.None);
        var retention = services.GetRequiredService<RecipientRetention>();
        Console.WriteLine($"retention: {surveys} surveys closed yesterday, {perSurvey:N0} recipients each, a final report mailed to them all");

        var ids = new List<string>();
        for (var i = 0; i < surveys; i++) ids.Add(await NewSurveyAsync(services, clock.GetUtcNow().AddDays(-1)));
        var floor = await PassAsync(retention, calls, clock, "floor: the surveys, no address written yet");

        foreach (var id in ids) await AddMailedAsync(services, azurite, id, perSurvey, clock.GetUtcNow());
        var before = await PassAsync(retention, calls, clock, $"before the deadline, {surveys * perSurvey:N0} addresses and as many delivery rows");

        var unsubscribe = calls.Snapshot();
        var email = $"person00007.{ids[0][..12]}@example.gov.uk";
        await services.GetRequiredService<AddressErasure>().EraseAsync(services.GetRequiredService<UnsubscribeTokens>().AddressKey(email), CancellationToken.None);
        var erasure = calls.Snapshot().Requests - unsubscribe.Requests;
        Console.WriteLine($"  one unsubscribe's erasure over {surveys} surveys: {erasure} storage calls");

        clock.Offset = TimeSpan.FromDays(31);
        var purge = await PassAsync(retention, calls, clock, "31 days on: the pass that deletes them");
        var after = await PassAsync(retention, calls, clock, "the next pass");
        var again = await PassAsync(retention, calls, clock, "and the one after");

        Console.WriteLine();
        Console.WriteLine($"Goal: a pass after the deletion costs the floor ({floor} calls): {after} and {again} calls, {(double)after / floor:0.00}x — " +
            $"{(after <= floor && again <= floor ? "met" : "NOT met")}. Before the deadline: {before} ({(double)before / floor:0.00}x the floor); the deletion itself: {purge}.");
    }

    /// <summary>One pass, a minute after the last, as the mailer runs them: every survey definition is read afresh (the catalog caches them for 15 s).</summary>
    private static async Task<long> PassAsync(RecipientRetention retention, StorageCalls calls, MovableClock clock, string what)
    {
        clock.Offset += TimeSpan.FromMinutes(1);
        var start = calls.Snapshot();
        var run = new MailingRun(DateTimeOffset.MaxValue);
        await retention.PurgeExpiredAsync(run, CancellationToken.None);
        var used = calls.Snapshot();
        Console.WriteLine($"  {what}: {used.Requests - start.Requests} storage calls, {used.EntityWrites - start.EntityWrites} entity writes, {run.RecipientsPurged:N0} addresses deleted");
        return used.Requests - start.Requests;
    }

    /// <summary>Recipients, and a final report mailed to all of them a day ago: its delivery rows say sent.</summary>
    private static async Task AddMailedAsync(IServiceProvider services, AzuriteServer azurite, string surveyId, int n, DateTimeOffset now)
    {
        var keys = services.GetRequiredService<PrivacyKeys>();
        var recipientKeys = Enumerable.Range(0, n).Select(i => keys.ForRecipient(surveyId, $"person{i:D5}.{surveyId[..12]}@example.gov.uk")).ToList();
        var table = new TableClient(azurite.ConnectionString, TableNames.Recipients);
        await Parallel.ForEachAsync(Enumerable.Range(0, n).Chunk(100), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (chunk, ct) =>
            await table.SubmitTransactionAsync([.. chunk.Select(i => new TableTransactionAction(TableTransactionActionType.Add,
                new TableEntity(surveyId, recipientKeys[i]) { ["Email"] = $"person{i:D5}.{surveyId[..12]}@example.gov.uk" }))], ct));
        var reportId = SurveyBackend.Reports.Report.NewId();
        var reports = services.GetRequiredService<ReportStore>();
        await reports.AddAsync(new StoredReport(reportId, surveyId, "Final", "", now.AddDays(-2), null, now.AddDays(-2), "{}", Final: true), CancellationToken.None);
        await reports.MarkCompleteAsync(reportId, now.AddDays(-1), CancellationToken.None);
        await services.GetRequiredService<DeliveryStore>().SetAsync(reportId, [.. recipientKeys.Select(k => new Delivery(k, DeliveryState.Sent, null, 1))], now, CancellationToken.None);
    }

    private static async Task<string> NewSurveyAsync(IServiceProvider services, DateTimeOffset closesAt)
    {
        var surveyId = $"retention-{Guid.NewGuid().ToString("N")[..10]}";
        var json = JsonNode.Parse(await RepoPaths.SampleSurveyJsonAsync(surveyId))!.AsObject();
        json["status"] = "closed";
        json["opensAt"] = closesAt.AddMonths(-1).ToString("O", CultureInfo.InvariantCulture);
        json["closesAt"] = closesAt.ToString("O", CultureInfo.InvariantCulture);
        await services.GetRequiredService<SurveyCatalog>().SaveAsync(surveyId, System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()), CancellationToken.None);
        return surveyId;
    }

    private static ServiceProvider Services(AzuriteServer azurite, StorageCalls calls, TimeProvider clock)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Anonymity:Secret"] = PipelineBenchmark.LocalSecret(),
            ["Email:From"] = "reports@example.org",
            ["Report:PublicBaseUrl"] = "https://reports.example.org",
        }).Build();
        var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning)).AddSurveyBackend(configuration);
        services.AddSingleton(clock);
        services.AddAzureClients(clients => clients.ConfigureDefaults(o => o.AddPolicy(calls, Azure.Core.HttpPipelinePosition.PerCall)));
        return services.BuildServiceProvider();
    }

    private sealed class MovableClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }
}
