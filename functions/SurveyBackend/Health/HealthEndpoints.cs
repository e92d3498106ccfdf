using Microsoft.AspNetCore.Mvc;
using SurveyBackend.Web;

namespace SurveyBackend.Health;

/// <summary>
/// <c>GET /api/health</c>: the app answers, and nothing more, so anyone may call it as often as they like without a
/// storage call. <c>GET /api/admin/health</c>: whether Tables and Queues answer, 503 with Retry-After when one does not.
/// </summary>
public sealed class HealthEndpoints(HealthCheck health)
{
    public static IActionResult Live() => JsonDefaults.Result(new { status = "healthy" });

    public async Task<IActionResult> CheckStorageAsync(CancellationToken cancellationToken)
    {
        var storage = await health.CheckStorageAsync(cancellationToken);
        if (storage.Healthy) return JsonDefaults.Result(new { status = "healthy", tables = "up", queues = "up" });
        var silent = string.Join(" and ", new[] { storage.Tables ? null : "Tables", storage.Queues ? null : "Queues" }.OfType<string>());
        return new HeaderResult(Problems.Problem(503, "unhealthy", "Storage is not answering.", $"{silent} did not answer."), "Retry-After", "10");
    }
}
