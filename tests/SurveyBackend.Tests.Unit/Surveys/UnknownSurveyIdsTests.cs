using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using SurveyBackend.Web;

namespace SurveyBackend.Tests.Unit.Surveys;

/// <summary>
/// Failed lookups are remembered for <see cref="SurveyCatalog.CacheFor"/> and no longer, and at most
/// <see cref="SurveyCatalog.MaxUnknownIds"/> of them: a flood of random ids leaves memory bounded, and a survey saved
/// on another instance after its id was looked up is found once the interval has passed. Table storage is a stub on
/// the storage client's own HTTP pipeline, which counts the reads.
/// </summary>
public sealed class UnknownSurveyIdsTests
{
    private const string SampleId = "social-media-in-local-government";

    [Fact]
    public void Add_PastCapacity_ForgetsTheOldest_AndNeverHoldsMore()
    {
        var clock = new ManualClock();
        var unknown = new UnknownSurveyIds(100, TimeSpan.FromSeconds(15), clock);
        for (var i = 0; i < 10_000; i++)
        {
            unknown.Add($"id-{i}");
            Assert.True(unknown.Count <= 100, $"{unknown.Count} held after {i + 1}");
        }

        Assert.Equal(100, unknown.Count);
        Assert.True(unknown.Contains("id-9999"));
        Assert.False(unknown.Contains("id-9899"));
    }

    [Fact]
    public void Contains_AfterTheLifetime_IsFalse_AndTheEntryGoesAtTheNextAdd()
    {
        var clock = new ManualClock();
        var unknown = new UnknownSurveyIds(100, TimeSpan.FromSeconds(15), clock);
        unknown.Add("typo");
        clock.Advance(TimeSpan.FromSeconds(14.9));
        Assert.True(unknown.Contains("typo"));

        clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.False(unknown.Contains("typo"));
        unknown.Add("another");
        Assert.Equal(1, unknown.Count);
    }

    [Fact]
    public void Remove_ForgetsTheId_AndAStaleSlotNeverForgetsItsSuccessor()
    {
        var clock = new ManualClock();
        var unknown = new UnknownSurveyIds(2, TimeSpan.FromSeconds(15), clock);
        unknown.Add("a");
        unknown.Remove("a");
        Assert.False(unknown.Contains("a"));

        clock.Advance(TimeSpan.FromSeconds(1));
        unknown.Add("a");
        // The slot the first "a" left is the oldest: pushing it out must not take the second "a" with it.
        unknown.Add("b");
        Assert.True(unknown.Contains("a"));
        Assert.True(unknown.Contains("b"));
    }

    [Fact]
    public async Task Catalog_AFloodOfRandomIds_LeavesItBounded_AndASurveySavedElsewhereIsFoundWithinTheInterval()
    {
        var clock = new ManualClock();
        var storage = new StubSurveysTable();
        var catalog = Catalog(storage, clock);

        for (var i = 0; i < 20_000; i++)
        {
            Assert.Null(await catalog.FindAsync($"random-{Guid.NewGuid():N}", CancellationToken.None));
            Assert.True(catalog.UnknownIdsHeld <= SurveyCatalog.MaxUnknownIds, $"{catalog.UnknownIdsHeld} ids held");
        }
        Assert.Equal(SurveyCatalog.MaxUnknownIds, catalog.UnknownIdsHeld);
        Assert.Null(await catalog.FindAsync(SampleId, CancellationToken.None));
        Assert.Equal(20_001, storage.Reads);

        // Another instance saves the survey: this one goes on answering from memory until the interval is over.
        storage.Save(SampleId, StoredJson(SampleId));
        Assert.Null(await catalog.FindAsync(SampleId, CancellationToken.None));
        clock.Advance(SurveyCatalog.CacheFor);
        Assert.Equal(SampleId, (await catalog.FindAsync(SampleId, CancellationToken.None))?.Definition.Id);
    }

    [Fact]
    public async Task Catalog_AMistypedIdAskedOverAndOver_CostsOneReadPerInterval()
    {
        var clock = new ManualClock();
        var storage = new StubSurveysTable();
        var catalog = Catalog(storage, clock);

        for (var i = 0; i < 1_000; i++) Assert.Null(await catalog.FindAsync("no-such-survey", CancellationToken.None));
        Assert.Equal(1, storage.Reads);

        clock.Advance(SurveyCatalog.CacheFor);
        Assert.Null(await catalog.FindAsync("no-such-survey", CancellationToken.None));
        Assert.Equal(2, storage.Reads);
    }

    private static SurveyCatalog Catalog(StubSurveysTable storage, TimeProvider clock)
    {
        var tables = new TableServiceClient(
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;",
            new TableClientOptions { Transport = new HttpClientTransport(new HttpClient(storage)), Retry = { MaxRetries = 0 } });
        return new SurveyCatalog(new SurveyStore(tables), new SubmissionStore(tables), new ResponseStore(tables), clock);
    }

    private static string StoredJson(string id)
    {
        var parsed = SurveyRules.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples", $"{id}.json")), id);
        return JsonSerializer.Serialize(parsed.Value!, JsonDefaults.Options);
    }

    /// <summary>The <c>surveys</c> table as Table storage answers a point read: the row, or 404.</summary>
    private sealed class StubSurveysTable : HttpMessageHandler
    {
        private readonly ConcurrentDictionary<string, string> _rows = new(StringComparer.Ordinal);
        private int _reads;

        public int Reads => _reads;

        public void Save(string id, string json) => _rows[id] = json;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = Uri.UnescapeDataString(request.RequestUri!.AbsolutePath);
            const string prefix = "/devstoreaccount1/surveys(PartitionKey='";
            if (request.Method != HttpMethod.Get || !path.StartsWith(prefix, StringComparison.Ordinal))
                throw new InvalidOperationException($"Unexpected storage call: {request.Method} {path}");
            Interlocked.Increment(ref _reads);
            var id = path[prefix.Length..path.IndexOf('\'', prefix.Length)];
            return Task.FromResult(_rows.TryGetValue(id, out var json) ? Row(id, json) : NotFound());
        }

        private static HttpResponseMessage Row(string id, string json)
        {
            var row = new JsonObject
            {
                ["odata.metadata"] = "http://127.0.0.1:1/devstoreaccount1/$metadata#surveys/@Element",
                ["odata.etag"] = "W/\"datetime'2026-03-01T09%3A00%3A00Z'\"",
                ["PartitionKey"] = id,
                ["RowKey"] = "definition",
                ["Timestamp"] = "2026-03-01T09:00:00Z",
                ["Part0"] = json,
                ["UpdatedAt@odata.type"] = "Edm.DateTime",
                ["UpdatedAt"] = "2026-03-01T09:00:00Z",
            };
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(row.ToJsonString(), Encoding.UTF8, "application/json"),
            };
        }

        private static HttpResponseMessage NotFound() => new(HttpStatusCode.NotFound)
        {
            Content = new StringContent("""{"odata.error":{"code":"ResourceNotFound","message":{"lang":"en-US","value":"The specified resource does not exist."}}}""",
                Encoding.UTF8, "application/json"),
        };
    }
}
