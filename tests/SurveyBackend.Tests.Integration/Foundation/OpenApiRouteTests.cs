using System.Net;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Integration.Foundation;

/// <summary><c>GET /api/openapi.json</c> serves the repo's docs/openapi.json, anonymously and cacheably.</summary>
[Collection(StackCollection.Name)]
public sealed class OpenApiRouteTests(StackFixture stack)
{
    [Fact]
    public async Task OpenApi_IsServedAnonymously_AsTheRepoDocument_With304OnItsETag()
    {
        using var response = await stack.Host.Client.GetAsync("api/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Root, "docs", "openapi.json")), await response.Content.ReadAsByteArrayAsync());

        using var again = new HttpRequestMessage(HttpMethod.Get, "api/openapi.json");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var notModified = await stack.Host.Client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }
}
