using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SurveyBackend.Anonymity;
using SurveyBackend.Auditing.Linkage;
using SurveyBackend.Intake;
using SurveyBackend.Mailing;
using SurveyBackend.Privacy;
using SurveyBackend.Reports;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Audit.Linkage;

/// <summary>A respondent of the simulated survey, and the response the test knows is theirs.</summary>
public sealed record Respondent(int Index, string Email, string? Language, string SubmissionId, DateTimeOffset Arrives, string ResponseRowKey);

/// <summary>
/// A low-volume survey run through the real app against Azurite, on a simulated clock: one response an hour for three
/// days, each asking for the report with an address of its own length, a report published halfway (the survey stays
/// open) and another after it closes, one submission that can never be anonymised, and the app's timers (flush every
/// 15 minutes, sweep hourly, mailer every half hour once a report is out). Every table is recorded after every write.
/// </summary>
public sealed class LowVolumeSurvey : IAsyncLifetime
{
    public const string Secret = "linkage-audit-secret-that-is-long-enough-000";
    public const string SurveyId = "low-volume";
    public const int Respondents = 72;
    /// <summary>Its every attempt fails after counting, so its message ends in poison and its pending row stays.</summary>
    public const int Poisoned = 3;
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Closes = Start + TimeSpan.FromHours(Respondents);
    public static readonly DateTimeOffset MidMailing = Start + TimeSpan.FromHours(36.5);
    public static readonly DateTimeOffset FinalMailing = Closes + TimeSpan.FromMinutes(30);
    public static readonly DateTimeOffset Ends = Closes + TimeSpan.FromHours(3);
    /// <summary>How long a pending row that cannot be anonymised keeps its sealed address here (Intake:PendingRetention).</summary>
    public static readonly TimeSpan PendingRetention = TimeSpan.FromDays(1);

    private readonly SimulatedClock _clock = new(Start - TimeSpan.FromHours(1));
    private readonly Queue<SubmissionMessage> _queue = new();
    private readonly PoisonFault _fault = new();
    private AzuriteServer _azurite = null!;
    private ServiceProvider _services = null!;

    public StorageRecorder Recorder { get; private set; } = null!;
    public IReadOnlyList<Respondent> People { get; private set; } = [];
    public TimeSpan Elapsed { get; private set; }

    /// <summary>Each address (as stored: normalised) and its true response.</summary>
    public IReadOnlyDictionary<string, string> Truth => People.ToDictionary(p => p.Email, p => p.ResponseRowKey, StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        var watch = Stopwatch.StartNew();
        _azurite = await AzuriteServer.StartNewAsync();
        Recorder = new StorageRecorder(_azurite.ConnectionString, _clock);
        _services = Services();
        await _services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync(CancellationToken.None);
        await RunAsync();
        Elapsed = watch.Elapsed;
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    private ServiceProvider Services()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = _azurite.ConnectionString,
            ["Anonymity:Secret"] = Secret,
            // Today's hold before a flush; the new rule ignores it.
            ["Anonymity:RecipientDelay"] = "01:00:00",
            ["Intake:PendingRetention"] = PendingRetention.ToString(),
            ["Intake:RequestsPerMinute"] = "0",
            ["Email:Provider"] = "Outbox",
            ["Email:OutboxPath"] = Directory.CreateTempSubdirectory("linkage-outbox-").FullName,
            ["Email:From"] = "reports@example.org",
            ["Report:PublicBaseUrl"] = "http://127.0.0.1:7071",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSurveyBackend(configuration);
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton<ISubmissionQueue>(new MemoryQueue(_queue));
        services.AddSingleton<IPipelineFaults>(_fault);
        var tables = new TableClientOptions();
        tables.AddPolicy(Recorder, HttpPipelinePosition.PerCall);
        services.AddSingleton(new TableServiceClient(_azurite.ConnectionString, tables));
        return services.BuildServiceProvider();
    }

    private T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    private async Task RunAsync()
    {
        var ct = CancellationToken.None;
        Recorder.Phase = "survey";
        var saved = await Get<SurveyCatalog>().SaveAsync(SurveyId, Encoding.UTF8.GetBytes(await DefinitionAsync()), ct);
        if (saved.Outcome is not (SaveOutcome.Created or SaveOutcome.Updated)) throw new InvalidOperationException($"The survey was not saved: {saved.Outcome}");
        var survey = saved.Survey!.Definition;
        var random = new Random(2026);
        var keys = Get<PrivacyKeys>();
        People = [.. Enumerable.Range(0, Respondents).Select(i =>
        {
            var submissionId = new Guid(Enumerable.Range(0, 16).Select(_ => (byte)random.Next(256)).ToArray()).ToString();
            var arrives = Start + TimeSpan.FromHours(i) + TimeSpan.FromMinutes(random.Next(1, 55));
            return new Respondent(i, AddressOfLength(i, i == Respondents - 1 ? 254 : 16 + 2 * i), i % 5 == 2 ? "cy" : null, submissionId, arrives,
                AggregateStore.ResponseRowKey(keys.ForResponse(SurveyId, submissionId)));
        })];
        var answers = People.ToDictionary(p => p.Index, _ => Answers(survey, random));
        var reports = new List<string>();

        for (var now = _clock.GetUtcNow(); now <= Ends; now += TimeSpan.FromMinutes(1))
        {
            _clock.Now = now;
            foreach (var person in People.Where(p => p.Arrives == now)) await SubmitAsync(person, answers[person.Index]);
            if (now.Minute % 15 == 0) await InPhaseAsync($"flush {now:HH:mm dd}", () => Get<RecipientFlusher>().FlushAsync(ct));
            if (now.Minute == 7)
            {
                await InPhaseAsync($"sweep {now:HH:mm dd}", () => Get<PendingSweeper>().SweepAsync(ct));
                await DeliverAsync();
            }
            if (now == MidMailing || now == FinalMailing) reports.Add(await PublishAsync(now));
            if (reports.Count > 0 && now.Minute % 30 == 20) await InPhaseAsync($"mail {now:HH:mm dd}", () => Get<ReportMailer>().RunAsync(ct));
        }
    }

    private async Task SubmitAsync(Respondent person, Dictionary<string, AnswerInput> answers)
    {
        Recorder.Phase = "intake";
        var outcome = await Get<IntakeService>().SubmitAsync(SurveyId, new SubmissionRequest
        {
            SubmissionId = person.SubmissionId,
            Answers = answers,
            Respondent = new RespondentInput(person.Email, $"Person {person.Index}", $"Council {person.Index}", WantsReport: true, Consent: true),
            Website = "",
            Language = person.Language ?? "en",
            LanguageGiven = person.Language is not null,
        }, CancellationToken.None);
        if (outcome.Status != IntakeStatus.Accepted) throw new InvalidOperationException($"Respondent {person.Index} was refused: {outcome.Status} {outcome.Errors?.ToDictionary().FirstOrDefault()}");
        await DeliverAsync();
    }

    /// <summary>The queue trigger: each message a few seconds after it was sent, tried five times before it is poison.</summary>
    private async Task DeliverAsync()
    {
        var poisoned = People[Poisoned].SubmissionId;
        while (_queue.TryDequeue(out var message))
        {
            for (var attempt = 1; attempt <= 5; attempt++)
            {
                _clock.Now += TimeSpan.FromSeconds(2);
                Recorder.Phase = "anonymise";
                _fault.Armed = message.SubmissionId == poisoned;
                try
                {
                    await Get<SubmissionAnonymiser>().ProcessAsync(message, CancellationToken.None);
                    break;
                }
                catch (PoisonFault.Injected)
                {
                    // Tried again; after the fifth it is left in the poison queue.
                }
            }
        }
    }

    private async Task<string> PublishAsync(DateTimeOffset now)
    {
        Recorder.Phase = $"publish {now:HH:mm dd}";
        var published = await Get<ReportPublisher>().PublishAsync(SurveyId, new PublishRequest("Where councils are", "## Findings", now, null), CancellationToken.None);
        if (published.Outcome != PublishOutcome.Published) throw new InvalidOperationException($"The report was not published: {published.Outcome}");
        return published.Report!.Id;
    }

    private async Task InPhaseAsync<T>(string phase, Func<Task<T>> step)
    {
        Recorder.Phase = phase;
        await step();
    }

    private static async Task<string> DefinitionAsync()
    {
        var json = JsonNode.Parse(await RepoPaths.SampleSurveyJsonAsync(SurveyId))!.AsObject();
        json["status"] = "open";
        json["opensAt"] = (Start - TimeSpan.FromHours(1)).ToString("O");
        json["closesAt"] = Closes.ToString("O");
        return json.ToJsonString();
    }

    /// <summary>Valid answers: every required question and most others, never "Other" (it would need text).</summary>
    private static Dictionary<string, AnswerInput> Answers(SurveyDefinition survey, Random random)
    {
        var answers = new Dictionary<string, AnswerInput>(StringComparer.Ordinal);
        foreach (var question in survey.Questions)
        {
            if (!question.Required && random.Next(4) == 0) continue;
            var options = question.Options.Where(o => !o.Exclusive).Select(o => o.Id).ToList();
            if (question.Type == QuestionType.Single)
            {
                answers[question.Id] = AnswerInput.One(options[random.Next(options.Count)]);
                continue;
            }
            var count = Math.Min(1 + random.Next(3), question.MaxSelections ?? int.MaxValue);
            answers[question.Id] = AnswerInput.Many(options.OrderBy(_ => random.Next()).Take(count));
        }
        return answers;
    }

    /// <summary>A valid address of exactly <paramref name="length"/> characters (even, 16 to 254): a local part of up to 64, then labels.</summary>
    public static string AddressOfLength(int index, int length)
    {
        const string domain = "example.org";
        var local = $"p{index:D2}.".PadRight(Math.Min(64, length - 1 - domain.Length), 'l');
        var rest = length - local.Length - 1 - domain.Length;
        var labels = new StringBuilder();
        while (rest > 0)
        {
            var chunk = rest > 51 ? 50 : rest;
            if (rest - chunk == 1) chunk = 49;
            labels.Append('d', chunk - 1).Append('.');
            rest -= chunk;
        }
        return local + "@" + labels + domain;
    }

    public sealed class SimulatedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class MemoryQueue(Queue<SubmissionMessage> queue) : ISubmissionQueue
    {
        public Task SendAsync(SubmissionMessage message, CancellationToken cancellationToken)
        {
            queue.Enqueue(message);
            return Task.CompletedTask;
        }
    }

    private sealed class PoisonFault : IPipelineFaults
    {
        public bool Armed { get; set; }

        public void Check(string step)
        {
            if (Armed && step == PipelineSteps.Counted) throw new Injected();
        }

        public sealed class Injected : Exception;
    }
}
