using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SurveyBackend.Functions;
using SurveyBackend.Storage;
using SurveyBackend.Web;

namespace SurveyBackend.Tests.Unit.Health;

/// <summary>
/// The two health routes as the app wires them, storage pointed at a port where nothing listens, every call its
/// storage clients make counted on their own pipeline: the public route makes none, the admin route asks both
/// services and reports the outage.
/// </summary>
public sealed class HealthRoutesTests
{
    [Fact]
    public void PublicHealth_MakesNoStorageCall()
    {
        var calls = new CountingPolicy();
        using var app = Build(calls);
        var functions = ActivatorUtilities.CreateInstance<HealthFunctions>(app);

        for (var i = 0; i < 100; i++)
        {
            var result = Assert.IsType<JsonResult>(functions.Health(new DefaultHttpContext().Request));
            Assert.Equal(StatusCodes.Status200OK, result.StatusCode);
        }

        Assert.Equal(0, calls.Count);
    }

    [Fact]
    public async Task StorageHealth_WithStorageDown_AsksBothServices_AndAnswers503WithRetryAfter()
    {
        var calls = new CountingPolicy();
        using var app = Build(calls);
        var functions = ActivatorUtilities.CreateInstance<HealthFunctions>(app);

        var result = await functions.StorageHealth(new DefaultHttpContext().Request, CancellationToken.None);

        var header = Assert.IsType<HeaderResult>(result);
        Assert.Equal("Retry-After", header.Name);
        var problem = Assert.IsType<ProblemDetails>(Assert.IsAssignableFrom<ObjectResult>(header.Inner).Value);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, problem.Status);
        Assert.Equal("urn:survey-backend:problem:unhealthy", problem.Type);
        Assert.Equal("Tables and Queues did not answer.", problem.Detail);
        Assert.Contains(calls.Paths, p => p.EndsWith("/Tables", StringComparison.Ordinal));
        Assert.Contains(calls.Paths, p => p.EndsWith("/" + QueueNames.Submissions, StringComparison.Ordinal));
    }

    private static ServiceProvider Build(CountingPolicy calls)
    {
        var configuration = OfflineApp.Configuration();
        var services = new ServiceCollection().AddLogging().AddSurveyBackend(configuration);
        services.AddAzureClients(clients => clients.ConfigureDefaults(o => o.AddPolicy(calls, HttpPipelinePosition.PerCall)));
        return services.BuildServiceProvider();
    }

    /// <summary>Every request the app's storage clients send, before any retry.</summary>
    private sealed class CountingPolicy : HttpPipelineSynchronousPolicy
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _paths = new();

        public int Count => _paths.Count;
        public IReadOnlyCollection<string> Paths => _paths;

        public override void OnSendingRequest(HttpMessage message) => _paths.Enqueue(message.Request.Uri.Path);
    }
}
