using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SurveyBackend.Form;

namespace SurveyBackend.Functions;

internal sealed class FormFunctions(FormEndpoints form)
{
    [Function(nameof(GetForm))]
    public Task<IActionResult> GetForm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "surveys/{surveyId}/form")] HttpRequest request,
        string surveyId, CancellationToken cancellationToken) =>
        form.GetFormAsync(request, surveyId, cancellationToken);

    [Function(nameof(PostForm))]
    public Task<IActionResult> PostForm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "surveys/{surveyId}/form")] HttpRequest request,
        string surveyId, CancellationToken cancellationToken) =>
        form.SubmitAsync(request, surveyId, cancellationToken);

    [Function(nameof(GetEmbedScript))]
    public IActionResult GetEmbedScript(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "embed.js")] HttpRequest request) =>
        form.GetEmbedScript(request);

    [Function(nameof(GetDemo))]
    public IActionResult GetDemo(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "demo")] HttpRequest request) =>
        form.GetDemo(request);
}
