using System.Net.Http.Json;
using System.Text.Json;
using SurveyBackend.Testing;
using SurveyBackend.Tests.System.Harness;
using Xunit.Abstractions;

namespace SurveyBackend.Tests.System.Scenarios;

/// <summary>
/// Scenario 1, mailing: the host is SIGKILLed while it mails a published report through SendGrid (a loopback
/// fake), in small batches. Nobody who asked for the report may be missed; duplicates must stay within the
/// documented bound of one batch per crash.
/// </summary>
public sealed class MailingCrashTests(ITestOutputHelper testOutput)
{
    private readonly Progress output = new(testOutput);

    private const int Recipients = 60;
    private const int BatchSize = 5;

    [Fact]
    public async Task ReportMailing_WithTheHostKilledMidway_MissesNobody_AndDuplicatesAtMostOneBatchPerKill()
    {
        Requires.Routes("surveys/{surveyId}/responses", "admin/surveys/{surveyId}/reports", "admin/reports/{reportId}/deliveries");
        await using var azurite = await AzuriteServer.StartNewAsync();
        await using var sendGrid = await FakeSendGridServer.StartAsync();
        await using var host = await LocalHostProcess.StartNewAsync(azurite, new Dictionary<string, string>
        {
            ["Email__Provider"] = "SendGrid",
            ["SendGrid__ApiKey"] = "SG.system-test",
            ["SendGrid__Host"] = sendGrid.Host,
            ["Mailing__BatchSize"] = BatchSize.ToString(global::System.Globalization.CultureInfo.InvariantCulture),
            ["Mailing__RetryDelay"] = "00:00:00.200",
            // The mailer's lease outlives a killed run by its budget plus a minute: a short budget keeps the wait short.
            ["Mailing__RunBudget"] = "00:00:10",
            ["ReportEmailSchedule"] = "*/2 * * * * *",
        });
        await host.PutSurveyAsync(TestSurvey.Id, TestSurvey.Json());

        var runTag = Guid.NewGuid().ToString("N")[..6];
        var submissions = Enumerable.Range(0, Recipients).Select(i => Submission.Make(i, runTag) with
        {
            Respondent = new Respondent($"mail-{runTag}-{i}@example.gov.uk", $"Mailee{runTag}N{i}", $"MailOrg{runTag}N{i}", WantsReport: true),
        }).ToList();
        var submitter = new Submitter(host.BaseAddress, TestSurvey.Id);
        await submitter.SubmitAllAsync(submissions, parallel: 6, giveUpAfter: TimeSpan.FromSeconds(60));
        Assert.Equal(Recipients, submitter.Accepted.Count);

        // Every address kept before the report is published: landed ten or more at a time, or (the last few) waiting
        // sealed for the mailing, whose first run writes them; so the mailing is one run of batches.
        await Eventually.TrueAsync(async () =>
        {
            var storage = await StorageSnapshot.TakeAsync(azurite.ConnectionString);
            return storage.InTable("recipients").Count() + storage.InTable("submissions").Count(r => r.RowKey.StartsWith("w|", StringComparison.Ordinal)) == Recipients;
        }, TimeSpan.FromSeconds(60), "every address to be kept");

        // Each SendGrid call answers slowly, so a kill lands in the middle of the mailing.
        sendGrid.Enqueue([.. Enumerable.Repeat(new FakeSendGridServer.ScriptedResponse(202, Delay: TimeSpan.FromMilliseconds(400)), 200)]);
        using var published = await host.Admin.PostAsJsonAsync($"api/admin/surveys/{TestSurvey.Id}/reports", new
        {
            title = "System test report", summary = "Counted exactly once.", publishAt = DateTimeOffset.UtcNow.AddSeconds(-1),
        });
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
        var reportId = JsonDocument.Parse(await published.Content.ReadAsStringAsync()).RootElement.GetProperty("reportId").GetString()!;

        foreach (var afterRequests in new[] { 3 })
        {
            await Eventually.TrueAsync(() => Task.FromResult(sendGrid.Requests.Count >= afterRequests), TimeSpan.FromSeconds(120), $"{afterRequests} SendGrid calls");
            await host.KillAsync();
            output.WriteLine($"Killed the host after {sendGrid.Requests.Count} SendGrid calls");
            await host.StartAsync();
        }

        var mailed = await Eventually.GetAsync(
            () => Task.FromResult(sendGrid.Requests.Where(r => r.Status is >= 200 and < 300).SelectMany(r => r.Recipients).ToList()),
            addresses => addresses.Distinct(StringComparer.OrdinalIgnoreCase).Count() >= Recipients,
            TimeSpan.FromSeconds(180), "every recipient to be mailed");
        // Every recipient was mailed at least once; a batch sent just before a kill may still be sent again. The
        // mailer is done when no recipient is pending (each batch is marked sent only after SendGrid answered it).
        var settled = await Eventually.GetAsync(
            async () =>
            {
                using var status = await host.Admin.GetAsync($"api/admin/reports/{reportId}/deliveries");
                return status.IsSuccessStatusCode ? JsonDocument.Parse(await status.Content.ReadAsStringAsync()).RootElement.Clone() : default;
            },
            status => status.ValueKind == JsonValueKind.Object && status.GetProperty("pending").GetInt32() == 0
                && status.GetProperty("sent").GetInt32() == Recipients,
            TimeSpan.FromSeconds(60), "the mailing to have no recipient pending");
        output.WriteLine($"Settled: {settled}");
        mailed = [.. sendGrid.Requests.Where(r => r.Status is >= 200 and < 300).SelectMany(r => r.Recipients)];

        var expected = submissions.Select(s => s.Respondent!.Email).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missed = expected.Where(e => !mailed.Contains(e, StringComparer.OrdinalIgnoreCase)).ToList();
        var duplicates = mailed.Count - mailed.Distinct(StringComparer.OrdinalIgnoreCase).Count();
        var strangers = mailed.Where(m => !expected.Contains(m)).Distinct().ToList();
        using var deliveries = await host.Admin.GetAsync($"api/admin/reports/{reportId}/deliveries");
        var deliveriesBody = await deliveries.Content.ReadAsStringAsync();
        output.WriteLine($"Deliveries: {deliveriesBody}");

        new Figures("Crash during mailing")
        {
            Submissions = Recipients, Accepted = submitter.Accepted.Count, Kills = host.Kills,
            Lost = missed.Count,
            Notes = $"emails={mailed.Count} duplicates={duplicates} bound={host.Kills * BatchSize} sendgrid-calls={sendGrid.Requests.Count}",
        }.Print(output);

        Assert.True(host.UnexpectedExits == 0, "The host process died by itself:\n" + host.CrashReport());
        Assert.True(missed.Count == 0, $"{missed.Count} recipients never mailed: {string.Join(", ", missed.Take(10))}");
        Assert.True(strangers.Count == 0, "mailed someone who did not ask: " + string.Join(", ", strangers));
        Assert.True(duplicates <= host.Kills * BatchSize, $"{duplicates} duplicate emails, over the bound of one batch ({BatchSize}) per kill ({host.Kills})");
    }
}
