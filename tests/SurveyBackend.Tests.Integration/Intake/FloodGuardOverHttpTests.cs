using System.Net;
using System.Net.Http.Headers;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Integration.Intake;

/// <summary>
/// Clients behind one proxy, over real HTTP from one connection address: the proxy writes each client's address with
/// its port, as Azure's front ends do, and each client still gets an allowance of its own.
/// </summary>
[Collection(IntakeCollection.Name)]
public sealed class FloodGuardOverHttpTests(IntakeFixture stack)
{
    [Fact]
    public async Task TwoClientsBehindOneProxy_WithPortedEntries_HaveSeparateAllowances()
    {
        var first = new List<HttpStatusCode>();
        for (var i = 0; i <= IntakeFixture.LimitedBurst; i++) first.Add(await PostFromAsync("203.0.113.50, 198.51.100.1:50123"));
        var second = await PostFromAsync("198.51.100.2:50124");
        var firstOnANewPort = await PostFromAsync("198.51.100.1:61000");
        var ipv6 = await PostFromAsync("[2001:db8:a::1]:443");
        var ipv6SameSlash64 = new List<HttpStatusCode>();
        for (var i = 0; i < IntakeFixture.LimitedBurst; i++) ipv6SameSlash64.Add(await PostFromAsync($"[2001:db8:a::{i + 2:x}]:443"));

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Accepted, IntakeFixture.LimitedBurst).Append(HttpStatusCode.TooManyRequests), first);
        Assert.Equal(HttpStatusCode.Accepted, second);
        Assert.Equal(HttpStatusCode.TooManyRequests, firstOnANewPort);
        Assert.Equal(HttpStatusCode.Accepted, ipv6);
        // The same /64 is the same client: its burst is spent after the first address's one and two more.
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Accepted, IntakeFixture.LimitedBurst - 1).Append(HttpStatusCode.TooManyRequests), ipv6SameSlash64);
    }

    private async Task<HttpStatusCode> PostFromAsync(string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/surveys/{RepoPaths.SampleSurveyId}/responses")
        {
            Content = new StringContent(SubmitResponseTests.Body(Guid.NewGuid().ToString()), new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        using var response = await stack.LimitedHost.Client.SendAsync(request);
        return response.StatusCode;
    }
}
