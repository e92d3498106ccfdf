using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SurveyBackend.Aggregation;

namespace SurveyBackend.Functions;

internal sealed class AggregationFunctions(AggregationEndpoints aggregation)
{
    [Function(nameof(GetResults))]
    [Answers(200, 400, 404)]
    public Task<IActionResult> GetResults(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/surveys/{surveyId}/results")] HttpRequest request,
        string surveyId, CancellationToken cancellationToken) =>
        aggregation.GetResultsAsync(request, surveyId, cancellationToken);

    [Function(nameof(RebuildAggregates))]
    [Answers(200, 404)]
    public Task<IActionResult> RebuildAggregates(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/surveys/{surveyId}/aggregates/rebuild")] HttpRequest request,
        string surveyId, CancellationToken cancellationToken) =>
        aggregation.RebuildAsync(surveyId, cancellationToken);
}
