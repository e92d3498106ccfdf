using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SurveyBackend.Anonymity;
using SurveyBackend.Mailing;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using SurveyBackend.Testing;
using SurveyBackend.Tests.Integration.Aggregation;

namespace SurveyBackend.Tests.Integration.Privacy;

/// <summary>
/// The secret rotated in the middle of a survey (issue #26 §6) as docs/deploy.md tells an operator to, on real local
/// hosts sharing one Azurite and mailing through the loopback SendGrid: instances under the old secret; step 1, every
/// instance reads the new secret and still writes with the old; step 2, the new secret writes and the old is read, while
/// a step-1 instance is still running beside a step-2 one (instances restart one by one). No one who unsubscribed is
/// mailed, no submission is counted twice, no waiting address is lost, and the unsubscribe links in mail sent before
/// the rotation still work. Intake's messages go to a list the test delivers from (the trigger adapter is one call to
/// the anonymiser), so it decides what is still queued, what crashed half-way and what is redelivered at the rotation.
/// </summary>
public sealed class SecretRotationTests : IAsyncLifetime
{
    private const string Old = "the-secret-before-the-rotation-0123456789abcdef";
    private const string New = "the-secret-after-the-rotation-0123456789abcdefgh";

    private AzuriteServer _azurite = null!;
    private FakeSendGridServer _sendGrid = null!;
    private readonly HeldMessages _held = new();
    private readonly CrashAfterCounting _faults = new();
    private readonly Random _random = new(26);
    private SurveyDefinition _survey = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartNewAsync();
        _sendGrid = await FakeSendGridServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _sendGrid.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    private Task<LocalHostServer> StartAsync(string secret, string? previous) => LocalHostServer.StartAsync(_azurite, new Dictionary<string, string?>
    {
        ["Anonymity:Secret"] = secret,
        ["Anonymity:PreviousSecrets"] = previous,
        ["Email:Provider"] = "SendGrid",
        ["SendGrid:ApiKey"] = "SG.test-key",
        ["SendGrid:Host"] = _sendGrid.Host,
        ["Report:PublicBaseUrl"] = "https://reports.example.org",
        ["Intake:RequestsPerMinute"] = "0",
        // The test flushes and sweeps itself.
        ["RecipientFlushSchedule"] = "0 0 0 1 1 *",
        ["IntakeSweepSchedule"] = "0 0 0 1 1 *",
    }, services =>
    {
        services.AddSingleton<ISubmissionQueue>(_held);
        services.AddSingleton<IPipelineFaults>(_faults);
    });

    private Submission Person(string email) => Submission.Random(_survey, _random.Next(), _random) with { Email = email };

    [Fact]
    public async Task RotatedMidSurvey_NoUnsubscribedPersonIsMailed_NothingCountsTwice_NoWaitingAddressIsLost_OldLinksStillWork()
    {
        // ---- Before the rotation: the old secret alone ----
        var host = await StartAsync(Old, null);
        _survey = await PutSurveyAsync(host);
        // Counts as of many respondents, so that a release can be made safe; what the test adds is counted exactly below.
        await SampleCounts.SeedAsync(host.Services.GetRequiredService<AggregateStore>(), _survey, 600, seed: 13);

        // Ten recipients get a first report, mailed with links the old secret made; two of them will unsubscribe.
        var kept = Enumerable.Range(1, 9).Select(i => Person($"kept{i}@example.org")).Append(Person("Repeat.Person@Example.org")).ToList();
        foreach (var s in kept) await PostAndProcessAsync(host, s);
        Assert.Equal(10, await host.Services.GetRequiredService<RecipientFlusher>().FlushAsync(CancellationToken.None));
        var first = await PublishAsync(host, "Before the rotation", minutesAgo: 2);
        await host.Services.GetRequiredService<ReportMailer>().RunAsync(CancellationToken.None);
        var oldLinks = Links(first);
        Assert.Equal(kept.Select(s => s.Email!).Order(StringComparer.Ordinal), oldLinks.Keys.Order(StringComparer.Ordinal));
        var (u1, u2) = (kept[0].Email!, kept[1].Email!);
        Assert.Equal(HttpStatusCode.OK, await UnsubscribeAsync(host, oldLinks[u1]));

        // Three whose addresses wait in the pool at the rotation, one still queued (sealed at intake), one whose
        // processing crashed after counting, and one without an address, counted.
        var waiting = Enumerable.Range(1, 3).Select(i => Person($"waiting{i}@example.org")).ToList();
        var (queued, crashed) = (Person("queued@example.org"), Person("crashed@example.org"));
        var counted = Submission.Random(_survey, _random.Next(), _random, withEmail: false);
        foreach (var s in waiting.Append(counted)) await PostAndProcessAsync(host, s);
        foreach (var s in new[] { queued, crashed }) Assert.Equal(HttpStatusCode.Accepted, await PostAsync(host, s));
        _faults.Armed = true;
        await Assert.ThrowsAsync<InvalidOperationException>(() => host.Services.GetRequiredService<SubmissionAnonymiser>().ProcessAsync(Message(crashed), CancellationToken.None));
        _faults.Armed = false;
        var before = await RespondentsAsync(host);
        await host.DisposeAsync();

        // ---- Step 1 (every instance reads the new secret, writes with the old); step 2 rolls out beside it ----
        var stepOne = await StartAsync(Old, New);
        host = await StartAsync(New, Old);
        var overlap = await BothStepsAtOnceAsync(stepOne, host);
        await stepOne.DisposeAsync();

        // ---- After the rotation: the new secret writes, the old one is read ----
        // Retries of submissions stored under the old secret are repeats: 200 with the same receipt, nothing stored again.
        foreach (var s in new[] { counted, queued, kept[2] }) Assert.Equal(HttpStatusCode.OK, await PostAsync(host, s));
        // What was still queued, what crashed half-way, and redeliveries of finished work.
        await ProcessAsync(host, queued, AnonymiseOutcome.Processed);
        await ProcessAsync(host, crashed, AnonymiseOutcome.Processed);
        foreach (var s in new[] { counted, kept[3], queued }) await ProcessAsync(host, s, AnonymiseOutcome.AlreadyProcessed);

        // New answers: the person who unsubscribed under the old secret answers again, so does one already a recipient
        // (in another letter case), and two new people.
        var again = new[] { Person(u1), Person("repeat.person@EXAMPLE.org"), Person("new1@example.org"), Person("new2@example.org") };
        foreach (var s in again) await PostAndProcessAsync(host, s);

        // Counted once each: the queued one, the two of the overlap and the four new ones (the crashed one was counted
        // before the rotation, once).
        Assert.Equal(before + 1 + overlap.Count + again.Length, await RespondentsAsync(host));

        // A link in the first report's mail, made before the rotation, still unsubscribes.
        Assert.Equal(HttpStatusCode.OK, await UnsubscribeAsync(host, oldLinks[u2]));

        // The second report: every address waiting (sealed under either secret) is written and mailed once; no one who
        // unsubscribed under the old secret is mailed; the same person in two letter cases is one recipient.
        var second = await PublishAsync(host, "After the rotation", minutesAgo: 1);
        await host.Services.GetRequiredService<ReportMailer>().RunAsync(CancellationToken.None);
        string[] arrived = [.. waiting.Select(s => s.Email!), queued.Email!, crashed.Email!, .. overlap.Select(s => s.Email!), "new1@example.org", "new2@example.org"];
        string[] secondExpected = [.. kept.Skip(2).Select(s => s.Email!), .. arrived];
        Assert.Equal(secondExpected.Order(StringComparer.Ordinal), _sendGrid.Delivered(second).Order(StringComparer.Ordinal));
        var poison = JsonNode.Parse(await host.Admin.GetStringAsync("api/admin/poison"))!;
        Assert.Equal(0, (int)poison["recipients"]!["unreadable"]!);

        // A link the new secret made works too, and unsubscribes that person from what is still to come. The next run
        // mails the first report (published before the second, so mailed before the second's flush wrote them) to those
        // who arrived since: once each, and again no one who unsubscribed, under either secret.
        Assert.Equal(HttpStatusCode.OK, await UnsubscribeAsync(host, Links(second)["new1@example.org"]));
        await host.Services.GetRequiredService<ReportMailer>().RunAsync(CancellationToken.None);
        Assert.Equal(secondExpected.Order(StringComparer.Ordinal), _sendGrid.Delivered(second).Order(StringComparer.Ordinal));
        string[] firstExpected = [.. kept.Select(s => s.Email!), .. arrived.Where(e => e != "new1@example.org")];
        Assert.Equal(firstExpected.Order(StringComparer.Ordinal), _sendGrid.Delivered(first).Order(StringComparer.Ordinal));
        await host.DisposeAsync();
    }

    /// <summary>
    /// A step-1 and a step-2 instance serve at once: each finds what the other stored (the reason for two steps), so a
    /// submission sent to one and retried or redelivered to the other is stored and counted once, and its address kept.
    /// </summary>
    private async Task<IReadOnlyList<Submission>> BothStepsAtOnceAsync(LocalHostServer stepOne, LocalHostServer stepTwo)
    {
        var toNew = Person("overlap.new@example.org");
        var toOld = Person("overlap.old@example.org");
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(stepTwo, toNew));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(stepOne, toNew));
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(stepOne, toOld));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(stepTwo, toOld));
        await ProcessAsync(stepOne, toNew, AnonymiseOutcome.Processed);
        await ProcessAsync(stepTwo, toNew, AnonymiseOutcome.AlreadyProcessed);
        await ProcessAsync(stepTwo, toOld, AnonymiseOutcome.Processed);
        await ProcessAsync(stepOne, toOld, AnonymiseOutcome.AlreadyProcessed);
        return [toNew, toOld];
    }

    private static async Task<SurveyDefinition> PutSurveyAsync(LocalHostServer host)
    {
        var json = JsonNode.Parse(await File.ReadAllTextAsync(RepoPaths.SampleSurvey))!.AsObject();
        var id = "rotation-" + Guid.NewGuid().ToString("N")[..12];
        json["id"] = id;
        // No breakdowns, so that a release of these few real answers over the seeded counts can be made safe.
        foreach (var property in new[] { "segments", "reportingGroups", "previousWave" }) json.Remove(property);
        foreach (var question in json["questions"]!.AsArray()) question!.AsObject().Remove("comparableWith");
        using var response = await host.PutSurveyAsync(id, json.ToJsonString());
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await host.Services.GetRequiredService<SurveyCatalog>().FindAsync(id, CancellationToken.None))!.Definition;
    }

    private static async Task<HttpStatusCode> PostAsync(LocalHostServer host, Submission s)
    {
        var body = new JsonObject
        {
            ["submissionId"] = s.SubmissionId,
            ["answers"] = JsonSerializer.SerializeToNode(s.Answers),
            ["other"] = JsonSerializer.SerializeToNode(s.Other),
        };
        if (s.Email is { } email) body["respondent"] = new JsonObject { ["email"] = email, ["wantsReport"] = true, ["consent"] = true };
        using var content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await host.Client.PostAsync($"api/surveys/{s.SurveyId}/responses", content);
        return response.StatusCode;
    }

    private static SubmissionMessage Message(Submission s) => new(s.SurveyId, s.SubmissionId);

    private async Task PostAndProcessAsync(LocalHostServer host, Submission s)
    {
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(host, s));
        await ProcessAsync(host, s, AnonymiseOutcome.Processed);
    }

    private async Task ProcessAsync(LocalHostServer host, Submission s, AnonymiseOutcome expected)
    {
        Assert.Contains(_held.Sent, m => m.SubmissionId == s.SubmissionId);
        Assert.Equal(expected, await host.Services.GetRequiredService<SubmissionAnonymiser>().ProcessAsync(Message(s), CancellationToken.None));
    }

    private async Task<int> RespondentsAsync(LocalHostServer host) =>
        (int)JsonNode.Parse(await host.Admin.GetStringAsync($"api/admin/surveys/{_survey.Id}/results"))!["respondents"]!;

    /// <summary>RFC 8058 one-click, as a mail client posts to the List-Unsubscribe link.</summary>
    private static async Task<HttpStatusCode> UnsubscribeAsync(LocalHostServer host, Uri link)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/unsubscribe" + link.Query)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }),
        };
        using var response = await host.Client.SendAsync(request);
        return response.StatusCode;
    }

    /// <param name="minutesAgo">The publish time: each report a different minute, so the mailer's order (by publish time) is fixed.</param>
    private async Task<string> PublishAsync(LocalHostServer host, string title, int minutesAgo)
    {
        using var report = await host.Admin.PostAsJsonAsync($"api/admin/surveys/{_survey.Id}/reports", new
        {
            title,
            summary = "Councils are **on the journey**.",
            publishAt = DateTimeOffset.UtcNow.AddMinutes(-minutesAgo).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        });
        var body = await report.Content.ReadAsStringAsync();
        Assert.True(report.StatusCode == HttpStatusCode.Created, body);
        return (string)JsonNode.Parse(body)!["reportId"]!;
    }

    /// <summary>Each recipient's List-Unsubscribe link in a report's mail, as SendGrid was given it.</summary>
    private Dictionary<string, Uri> Links(string reportId) => _sendGrid.Accepted(reportId)
        .SelectMany(r => r.Personalizations)
        .ToDictionary(p => (string)p["to"]![0]!["email"]!, p => new Uri(((string)p["headers"]!["List-Unsubscribe"]!).Trim('<', '>')));

    /// <summary>Intake's queue: the messages are kept for the test to deliver.</summary>
    private sealed class HeldMessages : ISubmissionQueue
    {
        private readonly ConcurrentQueue<SubmissionMessage> _sent = new();

        public IReadOnlyCollection<SubmissionMessage> Sent => _sent;

        public Task SendAsync(SubmissionMessage message, CancellationToken cancellationToken)
        {
            _sent.Enqueue(message);
            return Task.CompletedTask;
        }
    }

    /// <summary>A crash right after a response is counted, before its raw row is finished, when armed.</summary>
    private sealed class CrashAfterCounting : IPipelineFaults
    {
        public bool Armed { get; set; }

        public void Check(string step)
        {
            if (Armed && step == PipelineSteps.Counted) throw new InvalidOperationException("Injected: a crash after counting.");
        }
    }
}
