using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using SurveyBackend.Web;

namespace SurveyBackend.Releases;

/// <summary>The HTTP side of releases: make and list (admin), and the public benchmark route.</summary>
public sealed class ReleaseEndpoints(ReleaseService releases)
{
    /// <summary>A public release never changes; a new one replaces it as the latest within this time.</summary>
    public const int BenchmarkMaxAgeSeconds = 300;

    public async Task<IActionResult> MakeAsync(HttpRequest request, string surveyId, CancellationToken cancellationToken)
    {
        var result = await releases.MakeAsync(surveyId, cancellationToken);
        switch (result.Outcome)
        {
            case ReleaseOutcome.UnknownSurvey:
                return Problems.NotFound("There is no survey with this id.");
            case ReleaseOutcome.NotYetSafe:
                return NotYetSafe(result.RespondentsNeeded);
            case ReleaseOutcome.Busy:
                return Problems.Unavailable(TimeSpan.FromSeconds(5));
            default:
                var release = result.Release!;
                request.HttpContext.Response.Headers.CacheControl = "no-store";
                return JsonDefaults.Result(new { release = release.Number, respondents = release.Respondents, createdAt = release.CreatedAt }, StatusCodes.Status201Created);
        }
    }

    public async Task<IActionResult> ListAsync(HttpRequest request, string surveyId, CancellationToken cancellationToken)
    {
        var list = await releases.ListAsync(surveyId, cancellationToken);
        if (list is null) return Problems.NotFound("There is no survey with this id.");
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return JsonDefaults.Result(list);
    }

    public async Task<IActionResult> GetBenchmarkAsync(HttpRequest request, string surveyId, CancellationToken cancellationToken)
    {
        var benchmark = await releases.FindBenchmarkAsync(surveyId, cancellationToken);
        if (benchmark is null) return Problems.NotFound("No release of this survey is public yet.");

        // Survey id and number name a release for ever, so they (with the previous wave's) make a strong ETag.
        var etag = benchmark.ETag;
        var headers = request.HttpContext.Response.Headers;
        headers.CacheControl = $"public, max-age={BenchmarkMaxAgeSeconds}";
        headers.ETag = etag;
        if (Matches(request, etag)) return new StatusCodeResult(StatusCodes.Status304NotModified);
        return new ContentResult { Content = benchmark.ToPublicJson(), ContentType = "application/json; charset=utf-8", StatusCode = StatusCodes.Status200OK };
    }

    /// <summary>409 with the number of respondents still needed, as a property and in words.</summary>
    public static IActionResult NotYetSafe(int respondentsNeeded)
    {
        var problem = Problems.Details(StatusCodes.Status409Conflict, "release-not-safe", "A release cannot be made safe yet.",
            $"Too few have responded since the last release (a difference between two releases must not be a small group), or nothing would be left to show. It needs at least {respondentsNeeded} more respondent{(respondentsNeeded == 1 ? "" : "s")}.");
        problem.Extensions["respondentsNeeded"] = respondentsNeeded;
        var result = new ObjectResult(problem) { StatusCode = StatusCodes.Status409Conflict };
        result.ContentTypes.Add("application/problem+json");
        return result;
    }

    private static bool Matches(HttpRequest request, string etag)
    {
        var header = request.Headers.IfNoneMatch;
        if (header.Count == 0 || !EntityTagHeaderValue.TryParseList(header, out var tags)) return false;
        var current = EntityTagHeaderValue.Parse(etag);
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
    }
}
