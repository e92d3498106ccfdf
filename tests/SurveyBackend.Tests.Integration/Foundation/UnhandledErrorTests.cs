using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SurveyBackend.Health;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Integration.Foundation;

/// <summary>
/// An exception no function caught, through the local host: the same problem+json 500 the worker's middleware
/// writes in Azure (one writer, <c>Problems.WriteUnexpectedAsync</c>), with nothing of the exception in it.
/// </summary>
public sealed class UnhandledErrorTests
{
    private const string Secret = "AccountKey=not-for-clients";

    [Fact]
    public async Task HttpFunction_ThatThrows_Answers500ProblemJson_WithoutTheException()
    {
        await using var azurite = await AzuriteServer.StartNewAsync();
        // The health function's dependency cannot be made: the function throws on every request.
        await using var host = await LocalHostServer.StartAsync(azurite, configureServices: services =>
            services.AddSingleton<HealthCheck>(_ => throw new InvalidOperationException(Secret)));

        using var response = await host.Client.GetAsync("api/health");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:survey-backend:problem:internal", JsonDocument.Parse(body).RootElement.GetProperty("type").GetString());
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(InvalidOperationException), body, StringComparison.Ordinal);
    }
}
