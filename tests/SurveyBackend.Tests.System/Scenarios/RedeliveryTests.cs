using System.Text.Json;
using Azure.Storage.Queues;
using SurveyBackend.Storage;
using SurveyBackend.Testing;
using SurveyBackend.Tests.System.Harness;
using SurveyBackend.Web;
using Xunit.Abstractions;

namespace SurveyBackend.Tests.System.Scenarios;

/// <summary>
/// Scenario 2: at-least-once delivery taken to the limit. The messages intake sent are held back, copied so each is
/// delivered 2–5 times, shuffled, and released all at once to a host processing many in parallel. Counts must be exact.
/// </summary>
public sealed class RedeliveryTests(ITestOutputHelper testOutput)
{
    private readonly Progress output = new(testOutput);

    private const int Submissions = 100;
    private const string Anonymiser = "AnonymiseSubmission";

    [Fact]
    public async Task Messages_DeliveredTwoToFiveTimesInParallel_AreEachCountedExactlyOnce()
    {
        Requires.Routes("surveys/{surveyId}/responses", "admin/surveys/{surveyId}/results");
        await using var azurite = await AzuriteServer.StartNewAsync();
        // The anonymiser's trigger off (the Functions setting AzureWebJobs.<name>.Disabled), so intake's messages wait on the queue.
        await using var host = await LocalHostProcess.StartNewAsync(azurite, new Dictionary<string, string>
        {
            [$"AzureWebJobs.{Anonymiser}.Disabled"] = "true",
            [$"AzureWebJobs__{Anonymiser}__Disabled"] = "true",
        });
        await host.PutSurveyAsync(TestSurvey.Id, TestSurvey.Json());

        var runTag = Guid.NewGuid().ToString("N")[..6];
        var submissions = Enumerable.Range(0, Submissions).Select(i => Submission.Make(i, runTag)).ToList();
        var submitter = new Submitter(host.BaseAddress, TestSurvey.Id);
        await submitter.SubmitAllAsync(submissions, parallel: 8, giveUpAfter: TimeSpan.FromSeconds(60));
        Assert.Equal(Submissions, submitter.Accepted.Count);

        // Take every message intake sent off the queue (or, if the host would not hold its trigger off and some were
        // processed already, make the same messages: they are references, survey id and submission id).
        await host.KillAsync();
        var queue = new QueueClient(azurite.ConnectionString, QueueNames.Submissions, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var held = new List<string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (held.Count < Submissions && DateTime.UtcNow < deadline)
        {
            var batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
            foreach (var message in batch)
            {
                held.Add(message.Body.ToString());
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
            if (batch.Length == 0) await Task.Delay(200);
        }
        var mode = "held back before any processing";
        if (held.Count < Submissions)
        {
            mode = $"only {held.Count} held back; the rest re-sent after processing";
            var heldIds = held.Select(m => JsonSerializer.Deserialize<SubmissionMessage>(m, JsonDefaults.Options)!.SubmissionId).ToHashSet();
            held.AddRange(submitter.Accepted.Where(s => !heldIds.Contains(s.SubmissionId.ToString()))
                .Select(s => JsonSerializer.Serialize(new SubmissionMessage(TestSurvey.Id, s.SubmissionId.ToString()), JsonDefaults.Options)));
        }

        var random = new Random(Submissions);
        var copies = held.SelectMany(m => Enumerable.Repeat(m, random.Next(2, 6))).OrderBy(_ => random.Next()).ToList();
        await Parallel.ForEachAsync(copies, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (message, ct) => await queue.SendMessageAsync(message, ct));
        host.SetSetting($"AzureWebJobs.{Anonymiser}.Disabled", null);
        host.SetSetting($"AzureWebJobs__{Anonymiser}__Disabled", null);
        await host.StartAsync();

        var expected = new ExpectedResults();
        foreach (var submission in submitter.Accepted) expected.Add(submission);
        var counts = await Outcome.WaitForExactCountsAsync(host, azurite.ConnectionString, expected, TimeSpan.FromSeconds(120), output);
        var storage = await StorageSnapshot.TakeAsync(azurite.ConnectionString);
        var poison = Outcome.PoisonFaults(storage);
        var personal = Outcome.PersonalDataFaults(storage, submissions, host.Output);
        foreach (var fault in personal.Take(10)) output.WriteLine("Personal data: " + fault);

        new Figures("Redelivery")
        {
            Submissions = Submissions, Accepted = submitter.Accepted.Count, Redeliveries = copies.Count - held.Count,
            Lost = counts.Lost, DoubleCounted = counts.DoubleCounted,
            Notes = $"deliveries={copies.Count} reported={counts.Reported} poison={poison.Count} pii={personal.Count} ({mode})",
        }.Print(output);

        Assert.True(host.UnexpectedExits == 0, "The host process died by itself:\n" + host.CrashReport());
        Assert.True(counts.Exact, "Counts differ from what was accepted:\n" + string.Join('\n', counts.Differences));
        Assert.True(poison.Count == 0, string.Join('\n', poison));
        Assert.True(personal.Count == 0, "Personal data where it must not be:\n" + string.Join('\n', personal.Take(20)));
    }
}
