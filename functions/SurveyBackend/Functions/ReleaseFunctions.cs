using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SurveyBackend.Releases;

namespace SurveyBackend.Functions;

internal sealed class ReleaseFunctions(ReleaseEndpoints releases)
{
    [Function(nameof(MakeRelease))]
    [Answers(201, 404, 409, 503)]
    public Task<IActionResult> MakeRelease(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/surveys/{surveyId}/releases")] HttpRequest request,
        string surveyId, CancellationToken cancellationToken) =>
        releases.MakeAsync(request, surveyId, cancellationToken);

    [Function(nameof(ListReleases))]
    [Answers(200, 404)]
    public Task<IActionResult> ListReleases(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/surveys/{surveyId}/releases")] HttpRequest request,
        string surveyId, CancellationToken cancellationToken) =>
        releases.ListAsync(request, surveyId, cancellationToken);

    [Function(nameof(GetBenchmark))]
    [Answers(200, 304, 404)]
    public Task<IActionResult> GetBenchmark(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "surveys/{surveyId}/benchmark")] HttpRequest request,
        string surveyId, CancellationToken cancellationToken) =>
        releases.GetBenchmarkAsync(request, surveyId, cancellationToken);
}
