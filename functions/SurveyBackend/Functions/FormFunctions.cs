using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SurveyBackend.Form;

namespace SurveyBackend.Functions;

internal sealed class FormFunctions(FormEndpoints form)
{
    [Function(nameof(GetForm))]
    [Answers(200, 404, 410)]
    public Task<IActionResult> GetForm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "surveys/{surveyId}/form")] HttpRequest request,
        string surveyId, CancellationToken cancellationToken) =>
        form.GetFormAsync(request, surveyId, cancellationToken);

    [Function(nameof(PostForm))]
    [Answers(200, 400, 403, 404, 410, 413, 415, 429, 503)]
    public Task<IActionResult> PostForm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "surveys/{surveyId}/form")] HttpRequest request,
        string surveyId, CancellationToken cancellationToken) =>
        form.SubmitAsync(request, surveyId, cancellationToken);

    [Function(nameof(GetEmbedScript))]
    [Answers(200, 304)]
    public IActionResult GetEmbedScript(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "embed.js")] HttpRequest request) =>
        form.GetEmbedScript(request);

    [Function(nameof(GetFormScript))]
    [Answers(200, 304)]
    public IActionResult GetFormScript(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "form.js")] HttpRequest request) =>
        form.GetFormScript(request);

    [Function(nameof(GetProofWorker))]
    [Answers(200, 304)]
    public IActionResult GetProofWorker(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "proof-worker.js")] HttpRequest request) =>
        form.GetProofWorker(request);

    [Function(nameof(GetDemo))]
    [Answers(200, 404)]
    public IActionResult GetDemo(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "demo")] HttpRequest request) =>
        form.GetDemo(request);
}
