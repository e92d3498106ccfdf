using System.Net;
using System.Text.Json;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Integration.Foundation;

/// <summary>Its own Azurite, because it stops it.</summary>
public sealed class HealthOutageTests
{
    [Fact]
    public async Task StorageStopped_PublicHealthStays200_AdminHealthAnswers503NamingBoth_AndRecovers()
    {
        await using var azurite = await AzuriteServer.StartNewAsync();
        await using var host = await LocalHostServer.StartAsync(azurite);
        using (var up = await host.Admin.GetAsync("api/admin/health"))
        {
            Assert.Equal(HttpStatusCode.OK, up.StatusCode);
            var body = JsonDocument.Parse(await up.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("up", body.GetProperty("tables").GetString());
            Assert.Equal("up", body.GetProperty("queues").GetString());
        }

        await azurite.StopAsync();
        var started = DateTime.UtcNow;
        using var down = await host.Admin.GetAsync("api/admin/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.True(down.Headers.RetryAfter is not null, "503 carries Retry-After");
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "the deep check answers within 10 s when storage is down");
        var problem = await down.Content.ReadAsStringAsync();
        Assert.Equal("Tables and Queues did not answer.", JsonDocument.Parse(problem).RootElement.GetProperty("detail").GetString());
        Assert.DoesNotContain("devstoreaccount1", problem);
        Assert.DoesNotContain("Exception", problem);

        // The public route never asks storage (HealthRoutesTests counts its calls): it says only that the app answers.
        using (var live = await host.Client.GetAsync("api/health"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }
        using (var keyless = await host.Client.GetAsync("api/admin/health"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, keyless.StatusCode);
        }

        await azurite.StartAsync();
        await Eventually.GetAsync(async () => { using var r = await host.Admin.GetAsync("api/admin/health"); return $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}"; }, s => s.StartsWith("200", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "the deep check to recover");
    }
}
