using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using SurveyBackend.Aggregation;
using SurveyBackend.Anonymity;
using SurveyBackend.Reports;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using SurveyBackend.Testing;
using SurveyBackend.Privacy;

namespace SurveyBackend.Tests.Integration.Reports;

/// <summary>
/// One Azurite, one loopback SendGrid and one local host (provider SendGrid, pointed at the loopback server) for
/// the report and mailing tests. A survey's counts are seeded through the real aggregate store
/// (<see cref="SampleCounts"/>), so releases and reports are built by the real code; the clock can be moved on
/// (retention) and back.
/// </summary>
public sealed class ReportsStack : IAsyncLifetime
{
    public AzuriteServer Azurite { get; private set; } = null!;
    public FakeSendGridServer SendGrid { get; private set; } = null!;
    public LocalHostServer Host { get; private set; } = null!;
    public ShiftedClock Clock { get; } = new();

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteServer.StartNewAsync();
        SendGrid = await FakeSendGridServer.StartAsync();
        Host = await LocalHostServer.StartAsync(Azurite, new Dictionary<string, string?>
        {
            ["Email:Provider"] = "SendGrid",
            ["SendGrid:ApiKey"] = "SG.test-key",
            ["SendGrid:Host"] = SendGrid.Host,
            ["SendGrid:Timeout"] = "00:00:03",
            ["Mailing:RetryDelay"] = "00:00:00.200",
            ["Report:PublicBaseUrl"] = "https://reports.example.org",
            // The end-to-end test's addresses wait for its mailing (fewer than ten); the timer runs as in Azure, only faster.
            ["RecipientFlushSchedule"] = "*/1 * * * * *",
        }, services => services.AddSingleton<TimeProvider>(Clock));
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await SendGrid.DisposeAsync();
        await Azurite.DisposeAsync();
    }

    public T Get<T>() where T : notnull => Host.Services.GetRequiredService<T>();

    /// <summary>
    /// Puts the sample survey under a new id, closed (so a mailing can complete), with <paramref name="respondents"/>
    /// counted (none seeded when null: the test counts real submissions).
    /// </summary>
    public async Task<SurveyDefinition> PutSurveyAsync(string prefix, string status = "closed", Action<JsonObject>? edit = null, int? respondents = 120)
    {
        var json = JsonNode.Parse(await File.ReadAllTextAsync(RepoPaths.SampleSurvey))!.AsObject();
        var id = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(60, prefix.Length + 33)];
        json["id"] = id;
        json["status"] = status;
        edit?.Invoke(json);
        using var response = await Host.PutSurveyAsync(id, json.ToJsonString());
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var definition = (await Get<SurveyCatalog>().FindAsync(id, CancellationToken.None))!.Definition;
        if (respondents is { } n) await SeedCountsAsync(definition, n);
        return definition;
    }

    /// <summary>Sets the survey's counts to those of <paramref name="respondents"/> sample respondents, through the real store.</summary>
    public Task SeedCountsAsync(SurveyDefinition definition, int respondents) =>
        SampleCounts.SeedAsync(Get<AggregateStore>(), definition, respondents);

    public async Task<JsonObject> MakeReleaseAsync(string surveyId)
    {
        using var response = await Host.Admin.PostAsync($"api/admin/surveys/{surveyId}/releases", null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body);
        return JsonNode.Parse(body)!.AsObject();
    }

    public async Task<string> PublishAsync(string surveyId, DateTimeOffset? publishAt = null, string title = "The report", string summary = "Councils are **on the journey**.", string? reportUrl = null, int? release = null)
    {
        using var response = await Host.Admin.PostAsJsonAsync($"api/admin/surveys/{surveyId}/reports", new
        {
            title,
            summary,
            publishAt = (publishAt ?? Clock.GetUtcNow().AddMinutes(-1)).ToString("yyyy-MM-ddTHH:mm:ssZ"),
            reportUrl,
            release,
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body);
        return (string)JsonNode.Parse(body)!["reportId"]!;
    }

    /// <summary>Adds recipients straight to the table, 100 per transaction, keyed as the anonymiser keys them.</summary>
    public async Task<IReadOnlyList<string>> AddRecipientsAsync(string surveyId, int count)
    {
        var keys = Get<PrivacyKeys>();
        var table = new TableClient(Azurite.ConnectionString, TableNames.Recipients);
        var emails = Enumerable.Range(0, count).Select(i => $"person{i:D5}.{surveyId[..6]}@example.gov.uk").ToList();
        foreach (var chunk in emails.Chunk(100))
        {
            await table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                new TableEntity(surveyId, keys.ForRecipient(surveyId, e)) { ["Email"] = e })));
        }
        return emails;
    }

    public async Task<JsonObject> DeliveriesAsync(string reportId)
    {
        using var response = await Host.Admin.GetAsync($"api/admin/reports/{reportId}/deliveries");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!.AsObject();
    }
}

[CollectionDefinition(Name)]
public sealed class ReportsCollection : ICollectionFixture<ReportsStack>
{
    public const string Name = "reports";
}

/// <summary>The system clock moved on by <see cref="Offset"/> (timers still run in real time).</summary>
public sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Offset { get; set; }
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
