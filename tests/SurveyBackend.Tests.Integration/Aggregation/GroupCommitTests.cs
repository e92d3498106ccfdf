using System.Security.Cryptography;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SurveyBackend.Aggregation;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Integration.Aggregation;

/// <summary>
/// The counter's group commit against Azurite: workers of one instance that count in the same shard at once are
/// stored together, and exactly once, whatever mix of new responses, replays and other instances they meet.
/// Each test builds its own counters (a counter is one instance) over the pipeline fixture's Azurite.
/// </summary>
[Collection(PipelineCollection.Name)]
public sealed class GroupCommitTests(PipelineFixture fixture)
{
    [Fact]
    public async Task ConcurrentCounts_InOneShard_AreStoredInFewerTransactions_AndCountedExactly()
    {
        var survey = await fixture.NewSampleSurveyAsync();
        var transactions = new BatchRequests();
        await using var instance = Instance(shards: 1, transactions: transactions);
        var responses = Responses(survey, 64, seed: 1);

        var counted = await Task.WhenAll(responses.Select(r => instance.Counter.CountAsync(AsResponse(survey, r), survey, CancellationToken.None)));

        Assert.All(counted, Assert.True);
        Expected.Equal(Expected.Counts(survey, responses.Select(r => r.Submission)), await fixture.CountsAsync(survey));
        Assert.InRange(transactions.Count, 1, responses.Count / 2);
    }

    [Fact]
    public async Task TheSameResponse_CountedByManyWorkersAndTwoInstances_IsCountedOnce()
    {
        var survey = await fixture.NewSampleSurveyAsync();
        await using var first = Instance(shards: 2);
        await using var second = Instance(shards: 2);
        var responses = Responses(survey, 40, seed: 2);

        // Every response three times in each instance, all at once: redeliveries meeting each other and the other instance.
        var calls = responses.SelectMany(r => Enumerable.Range(0, 6).Select(i => (Response: r, Counter: i % 2 == 0 ? first.Counter : second.Counter)))
            .OrderBy(_ => Random.Shared.Next()).ToList();
        var results = await Task.WhenAll(calls.Select(async c =>
            (c.Response.Key, Counted: await c.Counter.CountAsync(AsResponse(survey, c.Response), survey, CancellationToken.None))));

        Assert.All(results.GroupBy(r => r.Key), g => Assert.Equal(1, g.Count(r => r.Counted)));
        Expected.Equal(Expected.Counts(survey, responses.Select(r => r.Submission)), await fixture.CountsAsync(survey));
    }

    [Fact]
    public async Task AGroupMixingReplaysAndNewResponses_CountsOnlyTheNewOnes()
    {
        var survey = await fixture.NewSampleSurveyAsync();
        await using var instance = Instance(shards: 1);
        var responses = Responses(survey, 30, seed: 3);
        var earlier = responses.Take(10).ToList();
        foreach (var r in earlier) Assert.True(await instance.Counter.CountAsync(AsResponse(survey, r), survey, CancellationToken.None));

        var counted = await Task.WhenAll(responses.Select(async r =>
            (r.Key, Counted: await instance.Counter.CountAsync(AsResponse(survey, r), survey, CancellationToken.None))));

        Assert.Equal(responses.Skip(10).Select(r => r.Key).Order(), counted.Where(c => c.Counted).Select(c => c.Key).Order());
        Expected.Equal(Expected.Counts(survey, responses.Select(r => r.Submission)), await fixture.CountsAsync(survey));
    }

    [Fact]
    public async Task AFailedTransaction_FailsEveryCountInItsGroup_AndNothingIsStored_ThenRetriesCountOnce()
    {
        var survey = await fixture.NewSampleSurveyAsync();
        var failing = new BatchRequests { FailNext = 1 };
        await using var instance = Instance(shards: 1, transactions: failing);
        var responses = Responses(survey, 12, seed: 4);

        var first = await Task.WhenAll(responses.Select(r => Outcome(() => instance.Counter.CountAsync(AsResponse(survey, r), survey, CancellationToken.None))));
        var failed = responses.Where((_, i) => first[i] is null).ToList();
        Assert.NotEmpty(failed);
        // What failed was not stored at all: the others are exactly what the aggregates hold.
        Expected.Equal(Expected.Counts(survey, responses.Except(failed).Select(r => r.Submission)), await fixture.CountsAsync(survey));

        // Redelivery of the failed ones (and a replay of one that worked) counts each once.
        var retried = await Task.WhenAll(failed.Append(responses.First(r => !failed.Contains(r))).Select(r =>
            instance.Counter.CountAsync(AsResponse(survey, r), survey, CancellationToken.None)));
        Assert.Equal(failed.Count, retried.Count(c => c));
        Expected.Equal(Expected.Counts(survey, responses.Select(r => r.Submission)), await fixture.CountsAsync(survey));
    }

    [Fact]
    public async Task ANewInstance_ReadsEachShardsCountersInOneQuery_AndCountsOnTopOfAnotherInstance()
    {
        var survey = await fixture.NewSampleSurveyAsync();
        var responses = Responses(survey, 60, seed: 5);
        await using (var earlier = Instance(shards: 2))
        {
            foreach (var r in responses.Take(30)) Assert.True(await earlier.Counter.CountAsync(AsResponse(survey, r), survey, CancellationToken.None));
        }

        // One at a time, so no group commit hides reads: every count after the first in a shard finds its rows in memory.
        var requests = new BatchRequests();
        await using var later = Instance(shards: 2, transactions: requests);
        foreach (var r in responses.Skip(30)) Assert.True(await later.Counter.CountAsync(AsResponse(survey, r), survey, CancellationToken.None));

        Expected.Equal(Expected.Counts(survey, responses.Select(r => r.Submission)), await fixture.CountsAsync(survey));
        Assert.Equal(30, requests.Count);
        Assert.InRange(requests.Reads, 1, 2);
    }

    private static async Task<bool?> Outcome(Func<Task<bool>> count)
    {
        try
        {
            return await count();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static AnonymousResponse AsResponse(SurveyDefinition survey, (string Key, Submission Submission) r) => r.Submission.ToResponse(r.Key);

    private static List<(string Key, Submission Submission)> Responses(SurveyDefinition survey, int n, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(i => (Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), Submission.Random(survey, 50_000 + i, random, withEmail: false)))];
    }

    /// <summary>One instance of the app's counter over the fixture's storage.</summary>
    private CounterInstance Instance(int shards, BatchRequests? transactions = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = fixture.Azurite.ConnectionString,
            ["Anonymity:Secret"] = PipelineFixture.Secret,
            ["Aggregation:Shards"] = shards.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSurveyBackend(configuration);
        if (transactions is not null) services.AddAzureClients(c => c.ConfigureDefaults(o => o.AddPolicy(transactions, HttpPipelinePosition.PerCall)));
        var provider = services.BuildServiceProvider();
        return new CounterInstance(provider, provider.GetRequiredService<ResponseCounter>());
    }

    private sealed record CounterInstance(ServiceProvider Services, ResponseCounter Counter) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Services.DisposeAsync();
    }

    /// <summary>
    /// Counts entity group transactions (<c>$batch</c> requests) and reads (GETs), and fails the next few transactions
    /// before they leave.
    /// </summary>
    private sealed class BatchRequests : HttpPipelinePolicy
    {
        private int _count;
        private int _reads;
        private int _failNext;

        public int Count => _count;
        public int Reads => _reads;
        public int FailNext { init => _failNext = value; }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            See(message);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            See(message);
            return ProcessNextAsync(message, pipeline);
        }

        private void See(HttpMessage message)
        {
            if (message.Request.Method == RequestMethod.Get) Interlocked.Increment(ref _reads);
            if (!message.Request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal)) return;
            Interlocked.Increment(ref _count);
            if (Interlocked.Decrement(ref _failNext) >= 0) throw new InvalidOperationException("Injected: the transaction never reached storage.");
        }
    }
}
