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
    public async Task AWriteStoredButAnsweredTwice_StillTakesTheLease_AndOtherRunsAreRefused()
    {
        var now = DateTimeOffset.UtcNow;
        var plain = await StoreAsync();

        // The first run's insert is stored, then answered 409 as the client sends it again.
        var insertTwice = new SendWritesTwice();
        Assert.True(await (await StoreAsync(insertTwice)).TryAcquireMailerLeaseAsync("run-a", now, now.AddMinutes(10), CancellationToken.None));
        Assert.Equal(1, insertTwice.Repeated);
        Assert.False(await plain.TryAcquireMailerLeaseAsync("run-b", now, now.AddMinutes(10), CancellationToken.None));

        // Twenty minutes on, that lease has expired: a takeover stored, then answered 412, is still the new run's.
        var later = now.AddMinutes(20);
        var replaceTwice = new SendWritesTwice();
        Assert.True(await (await StoreAsync(replaceTwice)).TryAcquireMailerLeaseAsync("run-c", later, later.AddMinutes(10), CancellationToken.None));
        Assert.Equal(1, replaceTwice.Repeated);
        Assert.False(await plain.TryAcquireMailerLeaseAsync("run-d", later, later.AddMinutes(10), CancellationToken.None));
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
