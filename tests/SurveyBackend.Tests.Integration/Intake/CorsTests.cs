using System.Net;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Integration.Intake;

/// <summary>The embedded form posts from council sites: CORS for the configured origins only, preflight included.</summary>
[Collection(IntakeCollection.Name)]
public sealed class CorsTests(IntakeFixture stack)
{
    private const string Path = $"api/surveys/{RepoPaths.SampleSurveyId}/responses";

    private async Task<HttpResponseMessage> PreflightAsync(string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, Path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return await stack.Host.Client.SendAsync(request);
    }

    [Fact]
    public async Task Preflight_FromAllowedOrigin_AllowsPostWithJson()
    {
        using var response = await PreflightAsync(IntakeFixture.AllowedOrigin);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(IntakeFixture.AllowedOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", response.Headers.GetValues("Access-Control-Allow-Methods").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)));
        Assert.Contains("content-type", response.Headers.GetValues("Access-Control-Allow-Headers").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Preflight_FromOtherOrigin_IsNotAllowed()
    {
        using var response = await PreflightAsync("https://evil.example");
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Post_FromAllowedOrigin_CarriesAllowOriginAndExposesRetryAfter()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Path)
        {
            Content = new StringContent(SubmitResponseTests.Body(Guid.NewGuid().ToString()), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", IntakeFixture.AllowedOrigin);
        using var response = await stack.Host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(IntakeFixture.AllowedOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("Retry-After", response.Headers.GetValues("Access-Control-Expose-Headers").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Post_FromOtherOrigin_IsRefused403_AndHasNoAllowOrigin()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Path)
        {
            Content = new StringContent(SubmitResponseTests.Body(Guid.NewGuid().ToString()), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", "https://evil.example");
        using var response = await stack.Host.Client.SendAsync(request);
        // CORS only stops the page reading the answer; the Origin check stops the post itself.
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
