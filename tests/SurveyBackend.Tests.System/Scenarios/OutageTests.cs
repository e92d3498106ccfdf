using SurveyBackend.Testing;
using SurveyBackend.Tests.System.Harness;
using Xunit.Abstractions;

namespace SurveyBackend.Tests.System.Scenarios;

/// <summary>
/// Scenario 3: Azurite is stopped twice during a burst of submissions. Clients must get 503 with Retry-After (never
/// 500, never a wait over 10 s); once storage is back their retries succeed, and counts are exact.
/// </summary>
public sealed class OutageTests(ITestOutputHelper testOutput)
{
    private readonly Progress output = new(testOutput);

    private const int Submissions = 120;
    private static readonly TimeSpan OutageLength = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task Submissions_DuringStorageOutages_Get503WithRetryAfter_AndTheirRetriesAreCountedExactlyOnce()
    {
        Requires.Routes("surveys/{surveyId}/responses", "admin/surveys/{surveyId}/results");
        await using var azurite = await AzuriteServer.StartNewAsync();
        await using var host = await LocalHostProcess.StartNewAsync(azurite);
        await host.PutSurveyAsync(TestSurvey.Id, TestSurvey.Json());

        var runTag = Guid.NewGuid().ToString("N")[..6];
        var submissions = Enumerable.Range(0, Submissions).Select(i => Submission.Make(i, runTag)).ToList();
        var submitter = new Submitter(host.BaseAddress, TestSurvey.Id);
        var outageAt = new Queue<int>([Submissions / 4, 2 * Submissions / 3]);
        var outages = new List<Task>();
        var healthDuringOutage = new List<string>();
        var one = new SemaphoreSlim(1, 1);

        var submitting = submitter.SubmitAllAsync(submissions, parallel: 6, giveUpAfter: TimeSpan.FromSeconds(150), onAccepted: accepted =>
        {
            lock (outageAt)
            {
                if (outageAt.Count == 0 || accepted < outageAt.Peek()) return;
                outageAt.Dequeue();
                outages.Add(OutageAsync());
            }
        });

        async Task OutageAsync()
        {
            await one.WaitAsync();
            try
            {
                output.WriteLine($"Stopping storage after {submitter.Accepted.Count} accepted");
                await azurite.StopAsync();
                output.WriteLine($"Storage stopped after {submitter.Accepted.Count} accepted");
                await Task.Delay(OutageLength / 2);
                healthDuringOutage.Add(await HealthStatusAsync(host));
                await Task.Delay(OutageLength / 2);
                await azurite.StartAsync();
                output.WriteLine("Storage started again");
            }
            catch (Exception ex)
            {
                output.WriteLine($"The outage went wrong: {ex.Message}\nHost's last words:\n{host.CrashReport()}");
                throw;
            }
            finally
            {
                one.Release();
            }
        }

        await submitting;
        output.WriteLine($"Submitting done: {submitter.StatusSummary}");
        Task[] pending;
        lock (outageAt) pending = [.. outages];
        await Task.WhenAll(pending);

        var expected = new ExpectedResults();
        foreach (var submission in submitter.Accepted) expected.Add(submission);
        var counts = await Outcome.WaitForExactCountsAsync(host, azurite.ConnectionString, expected, TimeSpan.FromSeconds(120), output);
        var storage = await StorageSnapshot.TakeAsync(azurite.ConnectionString);
        var poison = Outcome.PoisonFaults(storage);
        var personal = Outcome.PersonalDataFaults(storage, submissions, host.Output);
        foreach (var fault in personal.Take(10)) output.WriteLine("Personal data: " + fault);

        output.WriteLine($"Client saw: {submitter.StatusSummary}; attempts {submitter.Attempts}; slowest answer {submitter.MaxLatency.TotalSeconds:0.0} s; health during outages: {string.Join(", ", healthDuringOutage)}");
        new Figures("Storage outage")
        {
            Submissions = Submissions, Accepted = submitter.Accepted.Count, Outages = pending.Length,
            Lost = counts.Lost, DoubleCounted = counts.DoubleCounted,
            Notes = $"503s={submitter.Count("503")} 500s={submitter.Count("500")} slowest={submitter.MaxLatency.TotalSeconds:0.0}s reported={counts.Reported} poison={poison.Count} pii={personal.Count}",
        }.Print(output);

        Assert.True(host.UnexpectedExits == 0, "The host process died by itself:\n" + host.CrashReport());
        Assert.True(submitter.Failures.Count == 0, "The client saw:\n" + string.Join('\n', submitter.Failures.Take(20)));
        Assert.Equal(2, pending.Length);
        Assert.True(submitter.Count("503") > 0, "no client saw the outage (no 503): the test did not test it");
        Assert.Equal(0, submitter.UnavailableWithoutRetryAfter);
        Assert.True(submitter.MaxLatency < Submitter.RequestTimeout, $"an answer took {submitter.MaxLatency.TotalSeconds:0.0} s");
        Assert.All(healthDuringOutage, status => Assert.Equal("503", status));
        Assert.Equal(Submissions, submitter.Accepted.Count);
        Assert.True(counts.Exact, "Counts differ from what the client saw accepted:\n" + string.Join('\n', counts.Differences));
        Assert.True(poison.Count == 0, string.Join('\n', poison));
        Assert.True(personal.Count == 0, "Personal data where it must not be:\n" + string.Join('\n', personal.Take(20)));
    }

    private static async Task<string> HealthStatusAsync(LocalHostProcess host)
    {
        try
        {
            using var health = await host.Admin.GetAsync("api/admin/health");
            return ((int)health.StatusCode).ToString(global::System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException ex)
        {
            return $"no answer ({ex.HttpRequestError})";
        }
    }
}
