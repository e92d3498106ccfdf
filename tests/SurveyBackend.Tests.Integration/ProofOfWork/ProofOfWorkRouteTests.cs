using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using SurveyBackend.Privacy;
using SurveyBackend.Storage;
using SurveyBackend.Testing;
using SurveyBackend.Tests.Integration.Intake;

namespace SurveyBackend.Tests.Integration.ProofOfWork;

/// <summary>
/// Two local hosts on one Azurite, proof of work on (at a low difficulty: the format is the same at any), as two
/// instances of the app in Azure: a proof is good for one submission on either, and a replay to the other is refused.
/// </summary>
public sealed class ProofOfWorkFixture : IAsyncLifetime
{
    public AzuriteServer Azurite { get; private set; } = null!;
    public LocalHostServer First { get; private set; } = null!;
    public LocalHostServer Second { get; private set; } = null!;

    public static Dictionary<string, string?> Settings(string burst = "1000") => new()
    {
        ["Intake:ProofOfWork"] = "on",
        ["Intake:ProofOfWorkCost"] = "200",
        ["Intake:ProofOfWorkMaxNumber"] = "60",
        ["Intake:RequestsPerMinute"] = "60",
        ["Intake:Burst"] = burst,
    };

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteServer.StartNewAsync();
        First = await LocalHostServer.StartAsync(Azurite, Settings());
        Second = await LocalHostServer.StartAsync(Azurite, Settings());
        await First.PutSampleSurveyAsync();
    }

    public async Task DisposeAsync()
    {
        await Second.DisposeAsync();
        await First.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}

public sealed class ProofOfWorkRouteTests(ProofOfWorkFixture stack) : IClassFixture<ProofOfWorkFixture>
{
    private const string Path = $"api/surveys/{RepoPaths.SampleSurveyId}/responses";

    [Fact]
    public async Task Challenge_IsFresh_Unstored_AndInAltchaLibsFormat()
    {
        using var first = await stack.First.Client.GetAsync("api/challenge");
        using var second = await stack.First.Client.GetAsync("api/challenge");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("no-store", first.Headers.CacheControl!.ToString());
        var parameters = JsonNode.Parse(await first.Content.ReadAsStringAsync())!["parameters"]!;
        Assert.Equal("PBKDF2/SHA-256", (string?)parameters["algorithm"]);
        Assert.Equal(200, (int)parameters["cost"]!);
        Assert.Equal(32, (int)parameters["keyLength"]!);
        Assert.NotEqual(parameters["nonce"]!.ToString(), JsonNode.Parse(await second.Content.ReadAsStringAsync())!["parameters"]!["nonce"]!.ToString());
    }

    [Fact]
    public async Task WithoutAProof_OrWithAForgedOne_Is403_NamingWhy_AndStoresNothing()
    {
        foreach (var (proof, type) in new[] { ((string?)null, "proof-required"), ("bm90IGEgcHJvb2Y=", "proof-invalid") })
        {
            var id = Guid.NewGuid().ToString();
            using var response = await PostAsync(stack.First, id, proof);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("urn:survey-backend:problem:" + type, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["type"]);
            Assert.False(await IsStoredAsync(id));
        }
    }

    [Fact]
    public async Task ASolvedProof_BuysOneSubmission_AndAReplayToTheOtherInstanceIsRefused()
    {
        var proof = await ProofSolver.FetchAndSolveAsync(stack.First.Client);
        var id = Guid.NewGuid().ToString();
        using (var accepted = await PostAsync(stack.First, id, proof)) Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        var other = Guid.NewGuid().ToString();
        using var replay = await PostAsync(stack.Second, other, proof);
        Assert.Equal(HttpStatusCode.Forbidden, replay.StatusCode);
        Assert.Equal("urn:survey-backend:problem:proof-used", (string?)JsonNode.Parse(await replay.Content.ReadAsStringAsync())!["type"]);
        Assert.False(await IsStoredAsync(other));

        // The same submission again (a retry whose answer was lost) is the repeat it always was, on either instance.
        using var retry = await PostAsync(stack.Second, id, proof);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
    }

    [Fact]
    public async Task AProofSpentOnA400_StillSendsTheCorrectedAnswers_OfTheSameSubmission()
    {
        var proof = await ProofSolver.FetchAndSolveAsync(stack.First.Client);
        var id = Guid.NewGuid().ToString();
        using (var invalid = await PostAsync(stack.First, id, proof, """ "organisationType": "no-such-option" """))
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);

        using var corrected = await PostAsync(stack.Second, id, proof);
        Assert.Equal(HttpStatusCode.Accepted, corrected.StatusCode);
        Assert.True(await IsStoredAsync(id));
    }

    [Fact]
    public async Task ChallengeRoute_HasItsOwnFloodGuard()
    {
        // A host that allows a burst of 3 (refilled at 1 a minute): the fourth challenge in a row waits, and a submission
        // still has its own allowance.
        var settings = ProofOfWorkFixture.Settings(burst: "3");
        settings["Intake:RequestsPerMinute"] = "1";
        await using var limited = await LocalHostServer.StartAsync(stack.Azurite, settings);
        for (var i = 0; i < 3; i++) (await limited.Client.GetAsync("api/challenge")).Dispose();
        using var flooded = await limited.Client.GetAsync("api/challenge");
        Assert.Equal(HttpStatusCode.TooManyRequests, flooded.StatusCode);
        Assert.True(flooded.Headers.RetryAfter is not null);

        using var post = await PostAsync(limited, Guid.NewGuid().ToString(), await ProofSolver.FetchAndSolveAsync(stack.First.Client));
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
    }

    [Fact]
    public async Task Purge_DeletesOnlyChallengesThatHaveExpired_AndReadsOnlyWhatIsDue()
    {
        var store = new UsedChallengeStore(new TableServiceClient(stack.Azurite.ConnectionString));
        var now = new DateTimeOffset(2030, 6, 1, 12, 30, 0, TimeSpan.Zero);
        var expired = Enumerable.Range(0, 130).Select(i => ("expired-" + i, now.AddHours(-1 - i % 3))).ToList();
        var live = new[] { ("live-this-hour", now.AddMinutes(20)), ("live-next-hour", now.AddMinutes(50)) };
        foreach (var (id, expiresAt) in expired.Concat(live)) await store.UseAsync(id, expiresAt, "key", CancellationToken.None);

        Assert.True(await store.PurgeExpiredAsync(now, CancellationToken.None) >= expired.Count);
        Assert.Equal(0, await store.PurgeExpiredAsync(now, CancellationToken.None));
        foreach (var (id, expiresAt) in live)
            Assert.Equal(ChallengeUse.Taken, await store.UseAsync(id, expiresAt, "another", CancellationToken.None));
        Assert.Equal(ChallengeUse.First, await store.UseAsync(expired[0].Item1, expired[0].Item2, "another", CancellationToken.None));
    }

    private static async Task<HttpResponseMessage> PostAsync(LocalHostServer host, string id, string? proof, string? answers = null)
    {
        var extra = proof is null ? "" : $$""", "proof": "{{proof}}" """;
        var body = answers is null ? SubmitResponseTests.Body(id, extra: extra) : SubmitResponseTests.Body(id, answers, extra);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        return await host.Client.PostAsync(Path, content);
    }

    private async Task<bool> IsStoredAsync(string id)
    {
        var key = stack.First.Services.GetRequiredService<PrivacyKeys>().ForSubmission(RepoPaths.SampleSurveyId, id);
        var row = await new TableClient(stack.Azurite.ConnectionString, TableNames.Submissions).GetEntityIfExistsAsync<TableEntity>(RepoPaths.SampleSurveyId, key);
        return row.HasValue;
    }
}
