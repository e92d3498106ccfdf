using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using SurveyBackend.Storage;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Integration.Mailing;

/// <summary>The mailer's lease against Azurite, including a write the client sent twice because the first answer was lost.</summary>
public sealed class MailerLeaseTests : IAsyncLifetime
{
    private AzuriteServer _azurite = null!;

    public async Task InitializeAsync() => _azurite = await AzuriteServer.StartNewAsync();

    public async Task DisposeAsync() => await _azurite.DisposeAsync();

    [Fact]
    public async Task AnInsertStoredButAnsweredTwice_StillTakesTheLease_AndAnotherRunIsRefused()
    {
        var twice = new SendWritesTwice();
        var store = await StoreAsync(twice);
        var now = DateTimeOffset.UtcNow;

        Assert.True(await store.TryAcquireMailerLeaseAsync("run-a", now, now.AddMinutes(10), CancellationToken.None));
        Assert.Equal(1, twice.Repeated);
        Assert.False(await (await StoreAsync()).TryAcquireMailerLeaseAsync("run-b", now, now.AddMinutes(10), CancellationToken.None));
    }

    [Fact]
    public async Task AnExpiredLeaseTakenOverAndAnsweredTwice_IsOurs_ButAHeldLeaseIsNot()
    {
        var now = DateTimeOffset.UtcNow;
        var plain = await StoreAsync();
        Assert.True(await plain.TryAcquireMailerLeaseAsync("run-a", now.AddMinutes(-20), now.AddMinutes(-10), CancellationToken.None));

        var twice = new SendWritesTwice();
        Assert.True(await (await StoreAsync(twice)).TryAcquireMailerLeaseAsync("run-b", now, now.AddMinutes(10), CancellationToken.None));
        Assert.Equal(1, twice.Repeated);
        Assert.False(await plain.TryAcquireMailerLeaseAsync("run-c", now, now.AddMinutes(10), CancellationToken.None));
    }

    private async Task<ReportStore> StoreAsync(HttpPipelinePolicy? policy = null)
    {
        var options = new TableClientOptions();
        if (policy is not null) options.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        var service = new TableServiceClient(_azurite.ConnectionString, options);
        await service.GetTableClient(TableNames.Reports).CreateIfNotExistsAsync();
        return new ReportStore(service);
    }

    /// <summary>Sends the first write to the reports table twice and answers with the second reply, as a retry after a lost answer would.</summary>
    private sealed class SendWritesTwice : HttpPipelinePolicy
    {
        public int Repeated { get; private set; }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The store is asynchronous.");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            if (Repeated > 0 || message.Request.Method == RequestMethod.Get || !message.Request.Uri.Path.Contains(TableNames.Reports, StringComparison.Ordinal)) return;
            Repeated++;
            await ProcessNextAsync(message, pipeline);
        }
    }
}
