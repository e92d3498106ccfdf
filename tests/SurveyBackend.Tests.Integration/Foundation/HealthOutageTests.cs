using System.Net;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Integration.Foundation;

/// <summary>Its own Azurite, because it stops it.</summary>
public sealed class HealthOutageTests
{
    [Fact]
    public async Task Health_WithStorageStopped_Returns503_AndRecovers()
    {
        await using var azurite = await AzuriteServer.StartNewAsync();
        await using var host = await LocalHostServer.StartAsync(azurite);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("api/health")).StatusCode);

        await azurite.StopAsync();
        var started = DateTime.UtcNow;
        using var down = await host.Client.GetAsync("api/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.True(down.Headers.RetryAfter is not null, "503 carries Retry-After");
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "health answers within 10 s when storage is down");
        var body = await down.Content.ReadAsStringAsync();
        Assert.DoesNotContain("devstoreaccount1", body);
        Assert.DoesNotContain("Exception", body);

        await azurite.StartAsync();
        await Eventually.GetAsync(async () => { using var r = await host.Client.GetAsync("api/health"); return $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}"; }, s => s.StartsWith("200", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "health to recover");
    }
}
