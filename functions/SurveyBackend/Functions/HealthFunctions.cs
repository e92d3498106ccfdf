using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SurveyBackend.Health;

namespace SurveyBackend.Functions;

internal sealed class HealthFunctions(HealthEndpoints health)
{
    [Function(nameof(Health))]
    [Answers(200)]
    public IActionResult Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request) =>
        HealthEndpoints.Live();

    [Function(nameof(StorageHealth))]
    [Answers(200, 503)]
    public Task<IActionResult> StorageHealth(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/health")] HttpRequest request,
        CancellationToken cancellationToken) =>
        health.CheckStorageAsync(cancellationToken);
}
