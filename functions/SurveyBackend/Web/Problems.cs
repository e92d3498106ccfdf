using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using SurveyBackend.Validation;

namespace SurveyBackend.Web;

/// <summary>
/// Every error the app answers, as RFC 9457 problem+json. Details are written for the caller and never
/// carry exception text, storage keys or connection strings.
/// </summary>
public static class Problems
{
    private const string TypePrefix = "urn:survey-backend:problem:";

    public static IActionResult Validation(ValidationErrors errors, string detail = "Some fields are not valid; see errors.") =>
        Result(new ValidationProblemDetails(errors.ToDictionary())
        {
            Type = TypePrefix + "validation",
            Title = "The request is not valid.",
            Status = StatusCodes.Status400BadRequest,
            Detail = detail,
        });

    public static IActionResult Validation(string path, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(path, message);
        return Validation(errors);
    }

    public static IActionResult BadRequest(string detail) =>
        Problem(StatusCodes.Status400BadRequest, "bad-request", "The request is not valid.", detail);

    /// <summary>A refusal whose <paramref name="slug"/> names the reason (<c>cross-site</c>, <c>proof-expired</c>, …).</summary>
    public static IActionResult Forbidden(string slug, string title, string detail) =>
        Problem(StatusCodes.Status403Forbidden, slug, title, detail);

    public static IActionResult NotFound(string detail) =>
        Problem(StatusCodes.Status404NotFound, "not-found", "Not found.", detail);

    public static IActionResult Conflict(string detail) =>
        Problem(StatusCodes.Status409Conflict, "conflict", "The request conflicts with the current state.", detail);

    public static IActionResult Gone(string detail) =>
        Problem(StatusCodes.Status410Gone, "closed", "This survey is not taking responses.", detail);

    public static IActionResult PayloadTooLarge(int maxBytes) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "too-large", "The body is too large.",
            $"The body must be at most {maxBytes / 1024} KiB.");

    public static IActionResult UnsupportedMediaType(string expected) =>
        Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported content type.",
            $"Send the body as {expected}.");

    public static IActionResult TooManyRequests(TimeSpan retryAfter) =>
        WithRetryAfter(Problem(StatusCodes.Status429TooManyRequests, "too-many-requests", "Too many requests.",
            "Slow down and try again after the time in Retry-After."), retryAfter);

    public static IActionResult Unavailable(TimeSpan retryAfter) =>
        WithRetryAfter(Problem(StatusCodes.Status503ServiceUnavailable, "unavailable", "The service is briefly unavailable.",
            "Nothing was saved. Try again after the time in Retry-After."), retryAfter);

    public static IActionResult Unauthorized() =>
        Problem(StatusCodes.Status401Unauthorized, "unauthorized", "A function key is required.",
            "Send the key in the x-functions-key header or the code query parameter.");

    /// <summary>An exception no code caught: the same body in Azure (the worker's middleware) and in the local host.</summary>
    public static ProblemDetails Unexpected() =>
        Details(StatusCodes.Status500InternalServerError, "internal", "Something went wrong.", "The request could not be completed. Try again later.");

    /// <summary>
    /// Writes <see cref="Unexpected"/> straight to the response, needing nothing from MVC or the request's services:
    /// it runs where something has already failed. Nothing of the exception goes to the client.
    /// </summary>
    public static Task WriteUnexpectedAsync(HttpContext context)
    {
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(Unexpected(), JsonDefaults.Options, "application/problem+json", context.RequestAborted);
    }

    public static ProblemDetails Details(int status, string slug, string title, string detail) =>
        new() { Type = TypePrefix + slug, Title = title, Status = status, Detail = detail };

    public static IActionResult Problem(int status, string slug, string title, string detail) =>
        Result(Details(status, slug, title, detail));

    private static ObjectResult Result(ProblemDetails problem)
    {
        var result = new ObjectResult(problem) { StatusCode = problem.Status };
        result.ContentTypes.Add("application/problem+json");
        return result;
    }

    private static IActionResult WithRetryAfter(IActionResult inner, TimeSpan retryAfter) =>
        new HeaderResult(inner, "Retry-After", Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>Adds a response header to another result (Retry-After, ETag, Cache-Control).</summary>
public sealed class HeaderResult(IActionResult inner, string name, string value) : IActionResult
{
    public IActionResult Inner => inner;
    public string Name => name;
    public string Value => value;

    public Task ExecuteResultAsync(ActionContext context)
    {
        context.HttpContext.Response.Headers[name] = value;
        return inner.ExecuteResultAsync(context);
    }
}
