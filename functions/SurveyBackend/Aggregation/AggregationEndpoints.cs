using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using SurveyBackend.Surveys;
using SurveyBackend.Web;

namespace SurveyBackend.Aggregation;

/// <summary>The admin side of aggregation: results (JSON or CSV) and rebuild.</summary>
public sealed class AggregationEndpoints(SurveyCatalog catalog, ResultsService results, AggregateRebuilder rebuilder)
{
    public async Task<IActionResult> GetResultsAsync(HttpRequest request, string surveyId, CancellationToken cancellationToken)
    {
        var format = request.Query["format"].FirstOrDefault() ?? "json";
        if (format is not ("json" or "csv")) return Problems.Validation("format", "Use json or csv.");

        var definition = await catalog.FindAsync(surveyId, cancellationToken);
        var survey = definition is null ? null : await results.GetAsync(surveyId, cancellationToken);
        if (survey is null) return Problems.NotFound("There is no survey at this address.");
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        if (format == "csv")
        {
            return new ContentResult
            {
                Content = ResultsCsv.Write(survey, definition!.Definition, release: null),
                ContentType = "text/csv; charset=utf-8",
                StatusCode = StatusCodes.Status200OK,
            };
        }
        // Live counts, for the operator only; everything public shows a release instead.
        var document = System.Text.Json.JsonSerializer.SerializeToNode(survey, JsonDefaults.Options)!.AsObject();
        document["live"] = true;
        return new ContentResult { Content = document.ToJsonString(JsonDefaults.Options), ContentType = "application/json; charset=utf-8", StatusCode = StatusCodes.Status200OK };
    }

    public async Task<IActionResult> RebuildAsync(string surveyId, CancellationToken cancellationToken)
    {
        var rebuilt = await rebuilder.RebuildAsync(surveyId, cancellationToken);
        return rebuilt is null ? Problems.NotFound("There is no survey at this address.") : JsonDefaults.Result(rebuilt);
    }
}
