using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using SurveyBackend.Intake;
using SurveyBackend.Storage;
using SurveyBackend.Testing;
using SurveyBackend.Tests.Integration.ProofOfWork;

namespace SurveyBackend.Tests.Integration.Intake;

/// <summary>
/// The owner's hourly counts, over real HTTP: one of each kind of post and a flood go to one host, which counts in
/// memory and writes every two seconds here (once a minute as shipped); a second host, which saw none of it, reads
/// them back from storage at <c>GET /api/admin/intake</c>.
/// </summary>
public sealed class IntakeCountTests : IAsyncLifetime
{
    private const int Burst = 8;
    private AzuriteServer _azurite = null!;
    private LocalHostServer _counting = null!;
    private LocalHostServer _reading = null!;
    private readonly CountWrites _writes = new();

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartNewAsync();
        var settings = ProofOfWorkFixture.Settings(Burst.ToString(System.Globalization.CultureInfo.InvariantCulture));
        settings["Intake:RequestsPerMinute"] = "1";
        _counting = await LocalHostServer.StartAsync(_azurite, settings, services =>
        {
            services.Configure<IntakeCountOptions>(o => o.FlushInterval = TimeSpan.FromSeconds(2));
            services.AddAzureClients(clients => clients.ConfigureDefaults(o => o.AddPolicy(_writes, HttpPipelinePosition.PerCall)));
        });
        _reading = await LocalHostServer.StartAsync(_azurite);
        await _counting.PutSampleSurveyAsync();
    }

    public async Task DisposeAsync()
    {
        await _reading.DisposeAsync();
        await _counting.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task EachKindOfPost_IsCountedInItsHour_AndAFloodCostsAFewWrites_NotOneEach()
    {
        await Expect(HttpStatusCode.Accepted, PostJsonAsync(await ProofSolver.FetchAndSolveAsync(_counting.Client)));
        await Expect(HttpStatusCode.Accepted, PostJsonAsync(await ProofSolver.FetchAndSolveAsync(_counting.Client), website: "spam"));
        await Expect(HttpStatusCode.Forbidden, PostJsonAsync(proof: null));
        await Expect(HttpStatusCode.Forbidden, PostJsonAsync(proof: null, ("Sec-Fetch-Site", "cross-site")));
        await Expect(HttpStatusCode.Forbidden, _counting.Client.PostAsync($"api/surveys/{RepoPaths.SampleSurveyId}/form",
            new FormUrlEncodedContent([new("submissionId", Guid.NewGuid().ToString())])));
        var writesBefore = _writes.Count;
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 200; i++)
        {
            using var response = await PostJsonAsync(proof: null);
            statuses.Add(response.StatusCode);
        }

        // The burst's last few were refused for their proof, the rest as a flood.
        var flooded = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
        Assert.True(flooded >= 200 - Burst, $"{flooded} of 200 refused as a flood");
        // The reading host has counted nothing itself: what it shows, it read from storage.
        var hours = await Eventually.GetAsync(
            async () => JsonNode.Parse(await _reading.Admin.GetStringAsync("api/admin/intake?hours=2"))!["hours"]!.AsArray(),
            h => (long)h[^1]!["refused"]!["flood"]! == flooded, TimeSpan.FromSeconds(20), "the flood's count in storage");
        Assert.Equal(2, hours.Count);
        var hour = hours[^1]!;

        Assert.Equal(1, (long)hour["accepted"]!);
        var refused = hour["refused"]!;
        Assert.Equal(1, (long)refused["honeypot"]!);
        Assert.Equal(1, (long)refused["origin"]!);
        Assert.Equal(1, (long)refused["token"]!);
        Assert.Equal(1 + 200 - flooded, (long)refused["proof"]!);
        Assert.True(_writes.Count - writesBefore <= 10, $"{_writes.Count - writesBefore} writes of the counts for {200 + 5} posts");
    }

    [Fact]
    public async Task AdminRoute_NeedsTheKey_AndASensibleNumberOfHours()
    {
        using var noKey = await _reading.Client.GetAsync("api/admin/intake");
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        using var tooMany = await _reading.Admin.GetAsync("api/admin/intake?hours=100000");
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal(48, JsonNode.Parse(await _reading.Admin.GetStringAsync("api/admin/intake"))!["hours"]!.AsArray().Count);
    }

    private async Task<HttpResponseMessage> PostJsonAsync(string? proof, params (string Name, string Value)[] headers) =>
        await PostJsonAsync(proof, website: null, headers);

    private async Task<HttpResponseMessage> PostJsonAsync(string? proof, string? website, params (string Name, string Value)[] headers)
    {
        var extra = (proof is null ? "" : $$""", "proof": "{{proof}}" """) + (website is null ? "" : $$""", "website": "{{website}}" """);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/surveys/{RepoPaths.SampleSurveyId}/responses")
        {
            Content = new StringContent(SubmitResponseTests.Body(Guid.NewGuid().ToString(), extra: extra), Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in headers) request.Headers.Add(name, value);
        return await _counting.Client.SendAsync(request);
    }

    private static async Task Expect(HttpStatusCode status, Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        Assert.Equal(status, response.StatusCode);
    }

    /// <summary>Counts the requests that write the counts table.</summary>
    private sealed class CountWrites : HttpPipelinePolicy
    {
        private int _count;
        public int Count => Volatile.Read(ref _count);

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Note(message);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Note(message);
            return ProcessNextAsync(message, pipeline);
        }

        private void Note(HttpMessage message)
        {
            if (message.Request.Method != RequestMethod.Get && message.Request.Uri.Path.Contains("/" + TableNames.IntakeCounts, StringComparison.Ordinal))
                Interlocked.Increment(ref _count);
        }
    }
}
