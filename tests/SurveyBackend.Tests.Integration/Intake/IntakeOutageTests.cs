using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using SurveyBackend.Anonymity;
using SurveyBackend.Storage;
using SurveyBackend.Testing;
using SurveyBackend.Privacy;

namespace SurveyBackend.Tests.Integration.Intake;

/// <summary>Its own Azurite, because it stops it.</summary>
public sealed class IntakeOutageTests
{
    [Fact]
    public async Task Submit_WithStorageStopped_Returns503WithRetryAfter_StoresNothing_AndTheRetrySucceeds()
    {
        await using var azurite = await AzuriteServer.StartNewAsync();
        await using var host = await LocalHostServer.StartAsync(azurite, new Dictionary<string, string?> { ["IntakeSweepSchedule"] = "0 0 0 1 1 *" });
        await host.PutSampleSurveyAsync();
        using (var warm = await IntakeFixture.PostAsync(host, RepoPaths.SampleSurveyId, SubmitResponseTests.Body(Guid.NewGuid().ToString())))
            Assert.Equal(HttpStatusCode.Accepted, warm.StatusCode);

        await azurite.StopAsync();
        var id = Guid.NewGuid().ToString();
        var started = DateTime.UtcNow;
        using (var down = await IntakeFixture.PostAsync(host, RepoPaths.SampleSurveyId, SubmitResponseTests.Body(id)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Equal("application/problem+json", down.Content.Headers.ContentType!.MediaType);
            Assert.True(down.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "503 carries Retry-After");
            var body = await down.Content.ReadAsStringAsync();
            Assert.Contains("urn:survey-backend:problem:unavailable", body, StringComparison.Ordinal);
            Assert.DoesNotContain("devstoreaccount1", body, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        }
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15), "a dead store is answered within seconds");

        await azurite.StartAsync();
        // By key, not by the SubmissionId property: the anonymiser's tombstone keeps only the key.
        var submissions = new TableClient(azurite.ConnectionString, TableNames.Submissions);
        var key = host.Services.GetRequiredService<PrivacyKeys>().ForSubmission(RepoPaths.SampleSurveyId, id);
        Assert.False((await submissions.GetEntityIfExistsAsync<TableEntity>(RepoPaths.SampleSurveyId, key)).HasValue, "nothing was stored during the outage");

        // The client retries with the same id once storage is back.
        await Eventually.GetAsync(async () =>
        {
            using var retry = await IntakeFixture.PostAsync(host, RepoPaths.SampleSurveyId, SubmitResponseTests.Body(id));
            return retry.StatusCode;
        }, s => s is HttpStatusCode.Accepted or HttpStatusCode.OK, TimeSpan.FromSeconds(30), "the retry to be accepted");
        Assert.True((await submissions.GetEntityIfExistsAsync<TableEntity>(RepoPaths.SampleSurveyId, key)).HasValue, "the retry was stored");
    }
}
