using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using SurveyBackend.Web;

namespace SurveyBackend.Functions;

internal sealed class ContractFunctions(ContractEndpoints contract)
{
    [Function(nameof(GetOpenApi))]
    [Answers(200, 304)]
    public IActionResult GetOpenApi(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request) =>
        contract.GetOpenApi(request);
}
