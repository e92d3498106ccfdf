using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SurveyBackend.Anonymity;
using SurveyBackend.Storage;
using SurveyBackend.Testing;
using SurveyBackend.Privacy;

namespace SurveyBackend.Tests.Integration.Intake;

/// <summary>
/// One Azurite, and on it three local hosts: <see cref="Host"/> (no flood limit, CORS for one origin),
/// <see cref="LimitedHost"/> (a low flood limit, clients told apart by X-Forwarded-For) and <see cref="PipelineHost"/> (the app as wired, its messages
/// processed by the anonymiser). Host's submission messages go, for real, to a queue of the fixture's own that
/// no other area's trigger reads, through a seam that records sends and can fail one.
/// </summary>
public sealed class IntakeFixture : IAsyncLifetime
{
    public const string AllowedOrigin = "https://www.anyshire.gov.uk";
    public const string TestQueueName = "intake-test-submissions";
    public const int LimitedBurst = 3;

    public AzuriteServer Azurite { get; private set; } = null!;
    public LocalHostServer Host { get; private set; } = null!;
    public LocalHostServer LimitedHost { get; private set; } = null!;
    public LocalHostServer PipelineHost { get; private set; } = null!;
    public RecordingQueue Queue { get; } = new();
    public CapturingLoggerProvider Logs { get; } = new();

    public TableClient Submissions => new(Azurite.ConnectionString, TableNames.Submissions);
    public QueueClient TestQueue => new(Azurite.ConnectionString, TestQueueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
    public PrivacyKeys Keys => Host.Services.GetRequiredService<PrivacyKeys>();

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteServer.StartNewAsync();
        await TestQueue.CreateIfNotExistsAsync();
        Host = await LocalHostServer.StartAsync(Azurite, new Dictionary<string, string?>
        {
            ["Intake:RequestsPerMinute"] = "0",
            ["Survey:AllowedOrigins"] = AllowedOrigin,
            // The tests run the sweeper themselves.
            ["IntakeSweepSchedule"] = "0 0 0 1 1 *",
        }, services =>
        {
            services.AddSingleton<ISubmissionQueue>(sp =>
            {
                Queue.Inner = new SubmissionQueue(sp.GetRequiredService<QueueServiceClient>().GetQueueClient(TestQueueName));
                return Queue;
            });
            services.AddSingleton<ILoggerProvider>(Logs);
        });
        await Host.PutSampleSurveyAsync();
        LimitedHost = await LocalHostServer.StartAsync(Azurite, new Dictionary<string, string?>
        {
            ["Intake:RequestsPerMinute"] = "6",
            ["Intake:Burst"] = LimitedBurst.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // As behind a proxy: the client is the header's last entry (FloodGuardOverHttpTests); without it, the connection.
            ["Intake:ClientAddressHeader"] = "X-Forwarded-For",
            ["IntakeSweepSchedule"] = "0 0 0 1 1 *",
        }, services => services.AddSingleton<ISubmissionQueue>(sp =>
            new SubmissionQueue(sp.GetRequiredService<QueueServiceClient>().GetQueueClient(TestQueueName))));
        PipelineHost = await LocalHostServer.StartAsync(Azurite, new Dictionary<string, string?>
        {
            ["Intake:RequestsPerMinute"] = "0",
            ["IntakeSweepSchedule"] = "0 0 0 1 1 *",
        });
    }

    public async Task DisposeAsync()
    {
        await PipelineHost.DisposeAsync();
        await LimitedHost.DisposeAsync();
        await Host.DisposeAsync();
        await Azurite.DisposeAsync();
    }

    public Task<HttpResponseMessage> PostAsync(string json, string surveyId = RepoPaths.SampleSurveyId, LocalHostServer? host = null) =>
        PostAsync(host ?? Host, surveyId, json);

    public static async Task<HttpResponseMessage> PostAsync(LocalHostServer host, string surveyId, string json, string contentType = "application/json")
    {
        using var content = new StringContent(json);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await host.Client.PostAsync($"api/surveys/{surveyId}/responses", content);
    }

    private readonly List<JsonNode> _drained = [];
    private readonly SemaphoreSlim _draining = new(1, 1);

    /// <summary>
    /// Every message that ever reached the test queue: takes what is there now (a peek sees only the first 32)
    /// and adds it to what earlier calls took.
    /// </summary>
    public async Task<IReadOnlyList<JsonNode>> QueuedMessagesAsync()
    {
        await _draining.WaitAsync();
        try
        {
            while (true)
            {
                var batch = (await TestQueue.ReceiveMessagesAsync(32)).Value;
                if (batch.Length == 0) return [.. _drained];
                foreach (var message in batch)
                {
                    _drained.Add(JsonNode.Parse(message.Body.ToString())!);
                    await TestQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                }
            }
        }
        finally
        {
            _draining.Release();
        }
    }

    public async Task<int> QueuedCountAsync(string submissionId) =>
        (await QueuedMessagesAsync()).Count(m => (string?)m["submissionId"] == submissionId);

    /// <summary>The submission's pending row (answers, email, state); null once processed, or if never stored.</summary>
    public async Task<TableEntity?> FindRowAsync(string submissionId, string surveyId = RepoPaths.SampleSurveyId)
    {
        var row = await Submissions.GetEntityIfExistsAsync<TableEntity>(surveyId, SubmissionStore.PendingRowKey(Keys.ForSubmission(surveyId, submissionId)));
        return row.HasValue ? row.Value : null;
    }

    /// <summary>The submission's key row (the idempotency key, the tombstone once processed); null if never stored.</summary>
    public async Task<TableEntity?> FindKeyRowAsync(string submissionId, string surveyId = RepoPaths.SampleSurveyId)
    {
        var row = await Submissions.GetEntityIfExistsAsync<TableEntity>(surveyId, Keys.ForSubmission(surveyId, submissionId));
        return row.HasValue ? row.Value : null;
    }
}

[CollectionDefinition(Name)]
public sealed class IntakeCollection : ICollectionFixture<IntakeFixture>
{
    public const string Name = "intake";
}

/// <summary>The queue seam: sends through the real queue client, records each message that went, and fails on request.</summary>
public sealed class RecordingQueue : ISubmissionQueue
{
    private readonly ConcurrentQueue<SubmissionMessage> _sent = new();
    private readonly ConcurrentDictionary<string, bool> _failFor = new(StringComparer.Ordinal);

    public ISubmissionQueue? Inner { get; set; }

    public void FailNextSendOf(string submissionId) => _failFor[submissionId] = true;

    public int SentCount(string submissionId) => _sent.Count(m => m.SubmissionId == submissionId);

    public async Task SendAsync(SubmissionMessage message, CancellationToken cancellationToken)
    {
        if (_failFor.TryRemove(message.SubmissionId, out _)) throw new RequestFailedException(503, "Injected: the queue is unavailable.");
        await Inner!.SendAsync(message, cancellationToken);
        _sent.Enqueue(message);
    }
}

/// <summary>Every log line the host writes, formatted, to prove what never appears in them.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
    }
}
