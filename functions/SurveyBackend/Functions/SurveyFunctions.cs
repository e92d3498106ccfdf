using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SurveyBackend.Surveys;

namespace SurveyBackend.Functions;

internal sealed class SurveyFunctions(SurveyEndpoints surveys)
{
    [Function(nameof(GetSurvey))]
    public Task<IActionResult> GetSurvey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "surveys/{surveyId}")] HttpRequest request,
        string surveyId, CancellationToken cancellationToken) =>
        surveys.GetPublicAsync(request, surveyId, cancellationToken);

    [Function(nameof(PutSurvey))]
    public Task<IActionResult> PutSurvey(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "admin/surveys/{surveyId}")] HttpRequest request,
        string surveyId, CancellationToken cancellationToken) =>
        surveys.PutAsync(request, surveyId, cancellationToken);
}
