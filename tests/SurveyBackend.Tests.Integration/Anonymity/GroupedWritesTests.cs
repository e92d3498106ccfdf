using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using SurveyBackend.Storage;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Integration.Anonymity;

/// <summary>
/// The pipeline's completing writes that workers make at once in one partition (each finished pending row deleted,
/// with its sealed address added beside it) share entity group transactions, and each is still stored (or forgiven)
/// on its own, its two rows together.
/// Against a real Azurite of its own; the stores are the app's, over clients that count <c>$batch</c> requests.
/// </summary>
public sealed class GroupedWritesTests : IAsyncLifetime
{
    private AzuriteServer _azurite = null!;
    private readonly Requests _requests = new();
    private TableServiceClient _tables = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartNewAsync();
        var options = new TableClientOptions();
        options.AddPolicy(_requests, HttpPipelinePosition.PerCall);
        _tables = new TableServiceClient(_azurite.ConnectionString, options);
        foreach (var table in TableNames.All) await _tables.CreateTableIfNotExistsAsync(table);
    }

    public async Task DisposeAsync() => await _azurite.DisposeAsync();

    [Fact]
    public async Task ConcurrentCompletions_DeleteEveryPendingRow_InFewerCallsThanRows_AndLeaveTheKeyRows()
    {
        var store = new SubmissionStore(_tables);
        var keys = Enumerable.Range(0, 64).Select(i => $"{i:x64}").ToList();
        foreach (var key in keys) Assert.True(await store.TryAddAsync("grouped", key, Raw(), CancellationToken.None));
        _requests.Reset();

        await Task.WhenAll(keys.Select(key => store.CompleteAsync("grouped", key, address: null, CancellationToken.None)));

        Assert.InRange(_requests.Count, 1, keys.Count / 2);
        Assert.True(_requests.Batches > 0);
        foreach (var key in keys)
        {
            Assert.Null(await store.FindAsync("grouped", key, CancellationToken.None));
            Assert.True((await _tables.GetTableClient(TableNames.Submissions).GetEntityIfExistsAsync<TableEntity>("grouped", key)).HasValue);
        }
    }

    [Fact]
    public async Task AGroupWithARowAlreadyGone_StillDeletesTheOthers_AndTheSameRowTwiceIsFine()
    {
        var store = new SubmissionStore(_tables);
        var keys = Enumerable.Range(0, 20).Select(i => $"{i + 100:x64}").ToList();
        foreach (var key in keys) Assert.True(await store.TryAddAsync("gone", key, Raw(), CancellationToken.None));
        // Finished by another worker already: its delete in a group would fail the whole transaction.
        await _tables.GetTableClient(TableNames.Submissions).DeleteEntityAsync("gone", SubmissionStore.PendingRowKey(keys[0]));

        await Task.WhenAll(keys.Concat(keys.Take(5)).Select(key => store.CompleteAsync("gone", key, Waiting(key, $"sealed-{key}"), CancellationToken.None)));

        foreach (var key in keys) Assert.Null(await store.FindAsync("gone", key, CancellationToken.None));
        // The address of the row finished elsewhere was kept by whoever finished it; each other address once, as the
        // repeats found their rows gone and wrote nothing.
        var pool = await new PendingRecipientStore(_tables).TakeAsync("gone", 1000, CancellationToken.None);
        Assert.Equal(keys.Skip(1).Select(k => $"sealed-{k}").Order(), pool.Select(p => p.Sealed).Order());
    }

    [Fact]
    public async Task ConcurrentCompletionsWithAddresses_KeepEachAddress_AndDeleteEachRow_InFewerCallsThanSubmissions()
    {
        var store = new SubmissionStore(_tables);
        var keys = Enumerable.Range(0, 50).Select(i => $"{i + 200:x64}").ToList();
        foreach (var key in keys) Assert.True(await store.TryAddAsync("survey", key, Raw(), CancellationToken.None));
        _requests.Reset();

        await Task.WhenAll(keys.Select((key, i) => store.CompleteAsync("survey", key, Waiting(key, $"sealed-{i}"), CancellationToken.None)));

        Assert.InRange(_requests.Count, 1, 25);
        foreach (var key in keys) Assert.Null(await store.FindAsync("survey", key, CancellationToken.None));
        var pool = await new PendingRecipientStore(_tables).TakeAsync("survey", 1000, CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"sealed-{i}").Order(), pool.Select(p => p.Sealed).Order());
    }

    [Fact]
    public async Task ACompletionAlone_KeepsTheAddressAndDeletesTheRow_InOneTransaction()
    {
        var store = new SubmissionStore(_tables);
        var key = $"{300:x64}";
        Assert.True(await store.TryAddAsync("alone", key, Raw(), CancellationToken.None));
        _requests.Reset();

        await store.CompleteAsync("alone", key, Waiting(key, "sealed-alone"), CancellationToken.None);

        Assert.Equal((1, 1), (_requests.Count, _requests.Batches));
        Assert.Null(await store.FindAsync("alone", key, CancellationToken.None));
        Assert.Equal(["sealed-alone"], (await new PendingRecipientStore(_tables).TakeAsync("alone", 10, CancellationToken.None)).Select(p => p.Sealed));
    }

    private static RawSubmission Raw() => new()
    {
        SubmissionId = Guid.NewGuid().ToString(),
        Answers = new Answers { Chosen = new Dictionary<string, IReadOnlyList<string>> { ["q"] = ["a"] } },
    };

    /// <summary>The address as the anonymiser leaves it waiting: under a key made from the submission's (here, the key itself).</summary>
    private static WaitingAddress Waiting(string submissionKey, string sealedAddress) => new(submissionKey, sealedAddress);

    /// <summary>Counts the table requests made, and how many were entity group transactions.</summary>
    private sealed class Requests : HttpPipelinePolicy
    {
        private int _count;
        private int _batches;

        public int Count => _count;
        public int Batches => _batches;

        public void Reset()
        {
            _count = 0;
            _batches = 0;
        }

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
            Interlocked.Increment(ref _count);
            if (message.Request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal)) Interlocked.Increment(ref _batches);
        }
    }
}
