using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using SurveyBackend.Languages;
using SurveyBackend.Web;

namespace SurveyBackend.Surveys;

/// <summary>The HTTP side of definitions: statuses, ETags and caching around <see cref="SurveyCatalog"/>.</summary>
public sealed class SurveyEndpoints(SurveyCatalog catalog, ILogger<SurveyEndpoints> logger)
{
    public const int MaxDefinitionBytes = 256 * 1024;

    public async Task<IActionResult> GetPublicAsync(HttpRequest request, string surveyId, CancellationToken cancellationToken)
    {
        var survey = await catalog.FindPublicAsync(surveyId, cancellationToken);
        if (survey is null) return Problems.NotFound("There is no survey at this address.");

        // The texts in ?lang= or the best of Accept-Language the survey offers; each language its own ETag.
        var view = survey.In(LanguageChoice.Choose(request.Query["lang"], request.Headers.AcceptLanguage, survey.Definition.Languages));
        var headers = request.HttpContext.Response.Headers;
        headers.CacheControl = "public, max-age=60";
        headers.Vary = "Accept-Language";
        headers.ContentLanguage = view.Language;
        headers.ETag = view.ETag;
        if (MatchesETag(request, view.ETag)) return new StatusCodeResult(StatusCodes.Status304NotModified);
        return JsonContent(view.Json, StatusCodes.Status200OK);
    }

    public async Task<IActionResult> PutAsync(HttpRequest request, string surveyId, CancellationToken cancellationToken)
    {
        var body = await RequestBodies.ReadAsync(request, MaxDefinitionBytes, cancellationToken);
        if (!body.Succeeded) return body.Problem!;

        var result = await catalog.SaveAsync(surveyId, body.Body, cancellationToken);
        switch (result.Outcome)
        {
            case SaveOutcome.Invalid:
                return Problems.Validation(result.Errors!, "The survey definition is not valid; see errors.");
            case SaveOutcome.StructureLocked:
                return Problems.Conflict("This survey has responses: its questions, types, option ids, segments and reporting groups can no longer change. Wording, required marks, order marks and limits may.");
            case SaveOutcome.ThresholdLowered:
                return Problems.Conflict($"This survey has responses: its minGroupSize may only go up, so it stays at least {result.KeptMinGroupSize}. A lower threshold would publish figures drawn from fewer respondents than its releases so far have hidden.");
            case SaveOutcome.JourneyLocked:
                return Problems.Conflict(result.Reason!);
            default:
                logger.LogInformation("Survey {SurveyId} {Outcome}", surveyId, result.Outcome);
                request.HttpContext.Response.Headers.ETag = result.Survey!.ETag;
                return JsonContent(result.Survey.PublicJson,
                    result.Outcome == SaveOutcome.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        }
    }

    private static ContentResult JsonContent(string json, int status) =>
        new() { Content = json, ContentType = "application/json; charset=utf-8", StatusCode = status };

    private static bool MatchesETag(HttpRequest request, string etag)
    {
        var header = request.Headers.IfNoneMatch;
        if (header.Count == 0) return false;
        if (!EntityTagHeaderValue.TryParseList(header, out var tags)) return false;
        var current = EntityTagHeaderValue.Parse(etag);
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
    }
}
