using System.Collections.Concurrent;
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
/// the report and mailing tests. Results come from <see cref="Results"/>, hand-built per survey, until the
/// aggregation lands; the clock can be moved on (retention) and back.
/// </summary>
public sealed class ReportsStack : IAsyncLifetime
{
    public AzuriteServer Azurite { get; private set; } = null!;
    public FakeSendGridServer SendGrid { get; private set; } = null!;
    public LocalHostServer Host { get; private set; } = null!;
    public FakeResults Results { get; } = new();
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
            // The end-to-end test waits for recipients to land: flush every second (they wait RecipientDelay, 2 s here).
            ["RecipientFlushSchedule"] = "*/1 * * * * *",
        }, services =>
        {
            services.AddSingleton<IResultsSnapshotSource>(provider =>
            {
                Results.Fallback = new AggregatedResultsSource(provider.GetRequiredService<ResultsService>());
                return Results;
            });
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await SendGrid.DisposeAsync();
        await Azurite.DisposeAsync();
    }

    public T Get<T>() where T : notnull => Host.Services.GetRequiredService<T>();

    /// <summary>Puts the sample survey under a new id, closed (so a mailing can complete), with hand-built results.</summary>
    public async Task<SurveyDefinition> PutSurveyAsync(string prefix, string status = "closed", Action<JsonObject>? edit = null)
    {
        var json = JsonNode.Parse(await File.ReadAllTextAsync(RepoPaths.SampleSurvey))!.AsObject();
        var id = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(60, prefix.Length + 33)];
        json["id"] = id;
        json["status"] = status;
        edit?.Invoke(json);
        using var response = await Host.PutSurveyAsync(id, json.ToJsonString());
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var definition = (await Get<SurveyCatalog>().FindAsync(id, CancellationToken.None))!.Definition;
        Results.Set(id, SampleResults.For(definition, respondents: 120));
        return definition;
    }

    public async Task<string> PublishAsync(string surveyId, DateTimeOffset? publishAt = null, string title = "The report", string summary = "Councils are **on the journey**.", string? reportUrl = null)
    {
        using var response = await Host.Admin.PostAsJsonAsync($"api/admin/surveys/{surveyId}/reports", new
        {
            title,
            summary,
            publishAt = (publishAt ?? Clock.GetUtcNow().AddMinutes(-1)).ToString("yyyy-MM-ddTHH:mm:ssZ"),
            reportUrl,
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

/// <summary>Results per survey id as a test set them; for any other survey, the real aggregation.</summary>
public sealed class FakeResults : IResultsSnapshotSource
{
    private readonly ConcurrentDictionary<string, SurveyResults> _results = new(StringComparer.Ordinal);

    public IResultsSnapshotSource? Fallback { get; set; }

    public void Set(string surveyId, SurveyResults results) => _results[surveyId] = results;

    public void Clear(string surveyId) => _results.TryRemove(surveyId, out _);

    public Task<SurveyResults?> GetAsync(string surveyId, CancellationToken cancellationToken) =>
        _results.TryGetValue(surveyId, out var results) ? Task.FromResult<SurveyResults?>(results)
        : Fallback?.GetAsync(surveyId, cancellationToken) ?? Task.FromResult<SurveyResults?>(null);
}

/// <summary>The system clock moved on by <see cref="Offset"/> (timers still run in real time).</summary>
public sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Offset { get; set; }
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}

/// <summary>Plausible results for a definition: falling counts per option, small ones suppressed, the last group of each segment suppressed.</summary>
public static class SampleResults
{
    public static SurveyResults For(SurveyDefinition definition, int respondents)
    {
        var min = definition.MinGroupSize;
        var questions = definition.Questions.Select(q => Question(q, respondents, min)).ToList();
        var segments = new List<SegmentResult>();
        foreach (var segmentId in definition.Segments)
        {
            var options = definition.FindQuestion(segmentId)!.Options;
            for (var i = 0; i < options.Count; i++)
            {
                segments.Add(i == options.Count - 1
                    ? new SegmentResult(segmentId, options[i].Id, null, null, Suppressed: true)
                    : new SegmentResult(segmentId, options[i].Id, 20 + i,
                        [.. definition.Questions.Where(q => q.Id != segmentId).Select(q => Question(q, 20 + i, min))]));
            }
        }
        return new SurveyResults(definition.Id, respondents, DateTimeOffset.UtcNow, min, questions, segments);
    }

    private static QuestionResult Question(Question question, int answered, int min) =>
        new(question.Id, answered, [.. question.ChoosableOptionIds.Select((id, i) =>
        {
            var count = answered / (i + 2);
            return count < min ? new OptionResult(id, null, null, Suppressed: true) : new OptionResult(id, count, Math.Round((double)count / answered, 4));
        })]);
}
