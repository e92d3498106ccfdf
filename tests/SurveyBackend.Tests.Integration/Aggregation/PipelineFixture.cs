using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using SurveyBackend.Aggregation;
using SurveyBackend.Anonymity;
using SurveyBackend.Privacy;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using SurveyBackend.Testing;
using SurveyBackend.Web;

namespace SurveyBackend.Tests.Integration.Aggregation;

[CollectionDefinition(Name)]
public sealed class PipelineCollection : ICollectionFixture<PipelineFixture>
{
    public const string Name = "pipeline";
}

/// <summary>
/// One Azurite and one local host for the anonymise-and-aggregate tests: recipients flushed every second (ten at a
/// time, as in Azure), a failed message retried after a second (host.json says ten), every log line captured, and a
/// fault seam tests can arm.
/// </summary>
public sealed class PipelineFixture : IAsyncLifetime
{
    public const string Secret = "pipeline-tests-secret-that-is-long-enough-000";

    public AzuriteServer Azurite { get; private set; } = null!;
    public LocalHostServer Host { get; private set; } = null!;
    public CapturedLogs Logs { get; } = new();
    public ArmedFaults Faults { get; } = new();

    // The test's own clients, with the SDK's patient defaults: the app's fail fast (3 s), which a loaded machine can exceed.
    private SubmissionStore _submissions = null!;
    private PendingRecipientStore _pending = null!;
    private QueueServiceClient _queues = null!;

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteServer.StartNewAsync();
        _submissions = new SubmissionStore(new Azure.Data.Tables.TableServiceClient(Azurite.ConnectionString));
        _pending = new PendingRecipientStore(new Azure.Data.Tables.TableServiceClient(Azurite.ConnectionString));
        _queues = new QueueServiceClient(Azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        Host = await LocalHostServer.StartAsync(Azurite, new Dictionary<string, string?>
        {
            ["Anonymity:Secret"] = Secret,
            ["RecipientFlushSchedule"] = "*/1 * * * * *",
            ["Intake:RequestsPerMinute"] = "0",
            // Retry a failed message after a second rather than host.json's ten, so poison and crash tests are quick.
            ["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:01",
        }, services =>
        {
            services.AddSingleton<ILoggerProvider>(Logs);
            // The console is slow and every invocation logs to it; the captured logs still get everything.
            services.Configure<LoggerFilterOptions>(o => o.Rules.Add(new LoggerFilterRule(
                "Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider", null, LogLevel.Warning, null)));
            services.RemoveAll<IPipelineFaults>();
            services.AddSingleton<IPipelineFaults>(Faults);
        });
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Azurite.DisposeAsync();
    }

    private Lazy<Task<Batch>>? _batch;

    /// <summary>
    /// 800 submissions with distinct emails, processed once by the host's queue trigger (batchSize 16) and shared
    /// by the tests that look at the outcome; waits until every raw row is a tombstone and the timer has written every
    /// full batch, then writes the rest as a mailing would, so that every recipient has landed.
    /// </summary>
    public Task<Batch> BatchAsync() => (_batch ??= new Lazy<Task<Batch>>(() => RunBatchAsync(800))).Value;

    private async Task<Batch> RunBatchAsync(int size)
    {
        // A fixed id and seed: the keyed row keys, and so their orders, are the same on every run.
        var survey = await NewSampleSurveyAsync(id: "agg-batch");
        var random = new Random(20260);
        var submissions = Enumerable.Range(0, size).Select(i => Submission.Random(survey, i, random)).ToList();
        await Parallel.ForEachAsync(submissions, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (s, _) => await StoreAsync(s));
        var started = DateTime.UtcNow;
        await Parallel.ForEachAsync(submissions, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (s, _) => await EnqueueAsync(s));
        // Poll the queue and the pool's first row (cheap) rather than scanning tables, which would slow the work being waited for.
        await Eventually.TrueAsync(async () => await QueueLengthAsync(QueueNames.Submissions) == 0, TimeSpan.FromMinutes(3), "every submission to be processed");
        var processing = DateTime.UtcNow - started;
        Assert.Equal(size, await TombstonesAsync(survey.Id));
        await Eventually.TrueAsync(async () => await WaitingAsync(survey.Id) < 10, TimeSpan.FromMinutes(3), "every full batch of recipients to be flushed");
        Assert.Equal(size, await RecipientCountAsync(survey.Id) + await WaitingAsync(survey.Id));
        await LandTheRestAsync(survey.Id);
        Assert.Equal(size, await RecipientCountAsync(survey.Id));
        return new Batch(survey, submissions, processing);
    }

    /// <summary>How many of the survey's addresses wait in its pool (one range query, keys only).</summary>
    public async Task<int> WaitingAsync(string surveyId) => (await _pending.ReadStateAsync(surveyId, CancellationToken.None)).Waiting;

    /// <summary>Writes whatever waits in the survey's pool, as the first run of a report's mailing does.</summary>
    public Task<int> LandTheRestAsync(string surveyId) =>
        Get<RecipientFlusher>().FlushForMailingAsync(surveyId, "test-mailing-" + Guid.NewGuid().ToString("N"), CancellationToken.None);

    /// <summary>How many of the survey's submissions are tombstones: a key row whose pending row is gone.</summary>
    public async Task<int> TombstonesAsync(string surveyId)
    {
        var table = new Azure.Data.Tables.TableClient(Azurite.ConnectionString, TableNames.Submissions);
        var rowKeys = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<Azure.Data.Tables.TableEntity>(
            Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey eq {surveyId}"), select: ["RowKey"])) rowKeys.Add(row.RowKey);
        // Key rows are bare hex; pending rows (p|…), the pool's addresses (w|…, u|…) and mailing marks (m|…) have a prefix.
        return rowKeys.Count(k => !k.Contains('|', StringComparison.Ordinal) && !rowKeys.Contains(SubmissionStore.PendingRowKey(k)));
    }

    public async Task<int> QueueLengthAsync(string queue) =>
        (await _queues.GetQueueClient(queue).GetPropertiesAsync()).Value.ApproximateMessagesCount;

    public T Get<T>() where T : notnull => Host.Services.GetRequiredService<T>();

    /// <summary>Creates a survey with the sample's questions and segments under a new id.</summary>
    public async Task<SurveyDefinition> NewSampleSurveyAsync(int? minGroupSize = null, string? id = null)
    {
        id ??= "agg-" + Guid.NewGuid().ToString("N")[..12];
        var json = await RepoPaths.SampleSurveyJsonAsync(id);
        if (minGroupSize is { } k) json = json.Replace("\"minGroupSize\": 5", $"\"minGroupSize\": {k}", StringComparison.Ordinal);
        using var response = await Host.PutSurveyAsync(id, json);
        response.EnsureSuccessStatusCode();
        return (await Get<SurveyCatalog>().FindAsync(id, CancellationToken.None))!.Definition;
    }

    /// <summary>Stores a raw submission as intake would (row first), without sending its message.</summary>
    public async Task StoreAsync(Submission submission)
    {
        var key = Get<PrivacyKeys>().ForSubmission(submission.SurveyId, submission.SubmissionId);
        var added = await _submissions.TryAddAsync(submission.SurveyId, key, new RawSubmission
        {
            SubmissionId = submission.SubmissionId,
            Answers = submission.ToAnswers(),
            SealedAddress = submission.Email is { } email ? Get<RecipientSeal>().SealAddress(submission.SurveyId, email, null) : null,
            KeepAddressUntil = DateTimeOffset.UtcNow.AddDays(7),
            State = SubmissionState.Enqueued,
        }, CancellationToken.None);
        Assert.True(added);
    }

    public Task EnqueueAsync(Submission submission) =>
        _queues.GetQueueClient(QueueNames.Submissions)
            .SendMessageAsync(JsonSerializer.Serialize(new SubmissionMessage(submission.SurveyId, submission.SubmissionId), JsonDefaults.Options));

    /// <summary>The aggregates' counters, summed over shards, by scope.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>>> CountsAsync(SurveyDefinition survey) =>
        await Get<ResultsService>().ReadCountsAsync(survey, CancellationToken.None);

    public async Task<long> RespondentsAsync(SurveyDefinition survey) =>
        (await CountsAsync(survey)).TryGetValue(Tally.All, out var all) ? all.GetValueOrDefault(Tally.Respondents) : 0;

    /// <summary>Its key row is there and its pending row is gone.</summary>
    public async Task<bool> IsTombstonedAsync(Submission submission)
    {
        var key = Get<PrivacyKeys>().ForSubmission(submission.SurveyId, submission.SubmissionId);
        var table = new Azure.Data.Tables.TableClient(Azurite.ConnectionString, TableNames.Submissions);
        var keyRow = await table.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>(submission.SurveyId, key);
        return keyRow.HasValue && await Get<SubmissionStore>().FindAsync(submission.SurveyId, key, CancellationToken.None) is null;
    }

    public async Task<int> RecipientCountAsync(string surveyId)
    {
        var count = 0;
        await foreach (var _ in Get<RecipientStore>().ListAsync(surveyId, CancellationToken.None)) count++;
        return count;
    }
}

public sealed record Batch(SurveyDefinition Survey, IReadOnlyList<Submission> Submissions, TimeSpan Processing);

/// <summary>A submission as a test makes it, with what the anonymiser must strip.</summary>
public sealed record Submission(
    string SurveyId, string SubmissionId, Dictionary<string, object> Answers, Dictionary<string, string> Other, string? Email)
{
    /// <summary>The answers as the aggregates see them (question → option ids).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> AnswerLists =>
        Answers.ToDictionary(a => a.Key, a => a.Value is string s ? (IReadOnlyList<string>)[s] : (IReadOnlyList<string>)(string[])a.Value);

    /// <summary>The answers in the app's one shape, as intake stores them.</summary>
    public Storage.Answers ToAnswers() => new() { Chosen = AnswerLists, Other = Other };

    /// <summary>
    /// A response for counting it directly, under the key the anonymiser would give it. Without its Other text: that is
    /// full of planted contacts, which the anonymity tests prove never reach storage through the app.
    /// </summary>
    public AnonymousResponse ToResponse(PrivacyKeys keys) => ToResponse(keys.ForResponse(SurveyId, SubmissionId));

    public AnonymousResponse ToResponse(string responseKey) => new(SurveyId, responseKey, "2026-01-01", new Storage.Answers { Chosen = AnswerLists });

    /// <summary>Valid random answers to the sample survey, an email per person, and "Other" text full of contact details.</summary>
    public static Submission Random(SurveyDefinition survey, int i, Random random, bool withEmail = true)
    {
        var answers = new Dictionary<string, object>();
        var other = new Dictionary<string, string>();
        foreach (var question in survey.Questions)
        {
            if (!question.Required && random.Next(4) == 0) continue;
            var options = question.ChoosableOptionIds;
            if (question.Type == QuestionType.Single)
            {
                answers[question.Id] = options[random.Next(options.Count)];
            }
            else
            {
                var exclusive = question.Options.Where(o => o.Exclusive).Select(o => o.Id).ToHashSet();
                var chosen = options.Where(o => !exclusive.Contains(o)).Where(_ => random.Next(3) == 0)
                    .Take(question.MaxSelections ?? int.MaxValue).ToArray();
                answers[question.Id] = chosen.Length > 0 ? chosen : [options.First(o => !exclusive.Contains(o))];
            }
            var picked = answers[question.Id] is string one ? [one] : (string[])answers[question.Id];
            if (question.AllowOther && picked.Contains(SurveyRules.OtherOptionId))
                other[question.Id] = $"Ask person{i}.contact@council{i}.example.gov.uk or ring 01632 {960000 + i} at SW1A {i % 10}AA";
        }
        return new Submission(survey.Id, new Guid(Enumerable.Range(0, 16).Select(_ => (byte)random.Next(256)).ToArray()).ToString(), answers, other, withEmail ? EmailFor(i) : null);
    }

    public static string EmailFor(int i) => $"respondent{i:D5}.x@organisation{i:D5}.example.org";
}

/// <summary>Every log line the host writes, formatted, with its exception.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Lines.Enqueue($"{category} {logLevel} {formatter(state, exception)} {exception}");
    }
}

/// <summary>The crash seam: throws at a step as many times as it was armed for (across all messages).</summary>
public sealed class ArmedFaults : IPipelineFaults
{
    private readonly ConcurrentDictionary<string, int> _remaining = new();
    private int _thrown;

    public int Thrown => _thrown;

    public void Arm(string step, int times) => _remaining[step] = times;

    public void Disarm() => _remaining.Clear();

    public void Check(string step)
    {
        while (_remaining.TryGetValue(step, out var left) && left > 0)
        {
            if (_remaining.TryUpdate(step, left - 1, left))
            {
                Interlocked.Increment(ref _thrown);
                throw new InjectedCrash(step);
            }
        }
    }
}

public sealed class InjectedCrash(string step) : Exception($"Injected crash after {step}");
