using Microsoft.AspNetCore.Mvc;
using SurveyBackend.Web;

namespace SurveyBackend.Health;

/// <summary><c>GET /api/health</c>: 200 when storage answers, else 503 with Retry-After.</summary>
public sealed class HealthEndpoints(HealthCheck health)
{
    public async Task<IActionResult> CheckAsync(CancellationToken cancellationToken) =>
        await health.IsHealthyAsync(cancellationToken)
            ? JsonDefaults.Result(new { status = "healthy" })
            : new HeaderResult(Problems.Problem(503, "unhealthy", "Storage is not answering.", "Tables or Queues did not answer."), "Retry-After", "10");
}
