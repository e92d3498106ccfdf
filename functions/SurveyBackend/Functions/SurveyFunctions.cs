using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SurveyBackend.Surveys;

namespace SurveyBackend.Functions;

internal sealed class SurveyFunctions(SurveyEndpoints surveys)
{
    [Function(nameof(GetSurvey))]
    [Answers(200, 304, 404)]
    public Task<IActionResult> GetSurvey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "surveys/{surveyId}")] HttpRequest request,
        string surveyId, CancellationToken cancellationToken) =>
        surveys.GetPublicAsync(request, surveyId, cancellationToken);

    [Function(nameof(PutSurvey))]
    [Answers(200, 201, 400, 409, 413, 415)]
    public Task<IActionResult> PutSurvey(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "admin/surveys/{surveyId}")] HttpRequest request,
        string surveyId, CancellationToken cancellationToken) =>
        surveys.PutAsync(request, surveyId, cancellationToken);
}
