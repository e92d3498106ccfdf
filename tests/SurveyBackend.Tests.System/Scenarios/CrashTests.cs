using SurveyBackend.Testing;
using SurveyBackend.Tests.System.Harness;
using Xunit.Abstractions;

namespace SurveyBackend.Tests.System.Scenarios;

/// <summary>
/// Scenario 1: the local host is SIGKILLed while submissions are coming in and being anonymised and aggregated,
/// at several points, and restarted on the same storage. Every submission the client saw accepted (202/200) must
/// be counted exactly once. Its own Azurite and host, because it kills them.
/// </summary>
public sealed class CrashTests(ITestOutputHelper testOutput)
{
    private readonly Progress output = new(testOutput);

    private const int Submissions = 150;

    [Fact]
    public async Task Submissions_WithTheHostKilledDuringIntakeAndProcessing_AreEachCountedExactlyOnce()
    {
        Requires.Routes("surveys/{surveyId}/responses", "admin/surveys/{surveyId}/results");
        await using var azurite = await AzuriteServer.StartNewAsync();
        await using var host = await LocalHostProcess.StartNewAsync(azurite);
        await host.PutSurveyAsync(TestSurvey.Id, TestSurvey.Json());

        var runTag = Guid.NewGuid().ToString("N")[..6];
        var submissions = Enumerable.Range(0, Submissions).Select(i => Submission.Make(i, runTag)).ToList();
        var submitter = new Submitter(host.BaseAddress, TestSurvey.Id);

        // Kill points: a third, two thirds, and almost all of the way through intake (the anonymiser and the counter
        // are busy all along, a few submissions behind), then once more just after the last is accepted.
        var killAt = new Queue<int>([Submissions / 3, 2 * Submissions / 3, Submissions - 10]);
        var killer = new SemaphoreSlim(1, 1);
        var restarts = new List<Task>();
        var submitting = submitter.SubmitAllAsync(submissions, parallel: 6, giveUpAfter: TimeSpan.FromSeconds(150), onAccepted: accepted =>
        {
            lock (killAt)
            {
                if (killAt.Count == 0 || accepted < killAt.Peek()) return;
                killAt.Dequeue();
                restarts.Add(KillAndRestartAsync(host, killer, output, $"after {accepted} accepted"));
            }
        });
        await submitting;
        Task[] pending;
        lock (killAt) pending = [.. restarts];
        await Task.WhenAll(pending);
        await KillAndRestartAsync(host, killer, output, "right after the last was accepted, while its processing runs");

        var expected = new ExpectedResults();
        foreach (var submission in submitter.Accepted) expected.Add(submission);
        var counts = await Outcome.WaitForExactCountsAsync(host, azurite.ConnectionString, expected, TimeSpan.FromSeconds(120), output);
        var storage = await StorageSnapshot.TakeAsync(azurite.ConnectionString);
        var personal = Outcome.PersonalDataFaults(storage, submissions, host.Output);
        foreach (var fault in personal.Take(10)) output.WriteLine("Personal data: " + fault);
        var poison = Outcome.PoisonFaults(storage);

        output.WriteLine($"Client saw: {submitter.StatusSummary}; attempts {submitter.Attempts}");
        output.WriteLine("Storage: " + storage.Summary());
        new Figures("Crash during intake and processing")
        {
            Submissions = Submissions, Accepted = submitter.Accepted.Count, Kills = host.Kills,
            Lost = counts.Lost, DoubleCounted = counts.DoubleCounted,
            Notes = $"reported={counts.Reported} attempts={submitter.Attempts} poison={poison.Count} pii={personal.Count} held-by-killed-hosts={storage.QueueLength("submissions")}",
        }.Print(output);

        Assert.True(submitter.Failures.Count == 0, "The client saw:\n" + string.Join('\n', submitter.Failures.Take(20)));
        Assert.Equal(Submissions, submitter.Accepted.Count);
        Assert.True(host.Kills >= 4, $"only {host.Kills} kills");
        Assert.True(host.UnexpectedExits == 0, "The host process died by itself:\n" + host.CrashReport());
        Assert.True(counts.Exact, "Counts differ from what the client saw accepted:\n" + string.Join('\n', counts.Differences));
        Assert.True(poison.Count == 0, string.Join('\n', poison));
        Assert.True(personal.Count == 0, "Personal data where it must not be:\n" + string.Join('\n', personal.Take(20)));
    }

    private static async Task KillAndRestartAsync(LocalHostProcess host, SemaphoreSlim one, ITestOutputHelper output, string when)
    {
        await one.WaitAsync();
        try
        {
            await host.KillAsync();
            output.WriteLine($"Killed the host {when}");
            await host.StartAsync();
        }
        finally
        {
            one.Release();
        }
    }
}

/// <summary>
/// The routes a scenario drives, checked against the app's own [HttpTrigger] routes before it starts: a renamed or
/// removed route fails the scenario by name, rather than letting it pass on a 404 or stop without saying so.
/// </summary>
public static class Requires
{
    public static void Routes(params string[] templates)
    {
        var missing = templates.Where(t => AppRoutes.All.All(r => r.Template != t)).ToList();
        Assert.True(missing.Count == 0, $"The app has no route {string.Join(", ", missing)}: this scenario needs it.");
    }
}

public sealed class RequiresTests
{
    [Fact]
    public void Routes_ThatTheAppHas_Pass_AndOneItHasNot_FailsTheScenario()
    {
        Requires.Routes("surveys/{surveyId}/responses");
        var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Requires.Routes("surveys/{surveyId}/responses", "no/such/route"));
        Assert.Contains("no/such/route", failure.Message);
    }
}
