using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using SurveyBackend.LocalHost;

namespace SurveyBackend.Tests.System.Harness;

/// <summary>How a route takes a body, so the generator knows what "wrong" looks like there.</summary>
public enum BodyKind { None, Json, Form }

/// <summary>One HTTP route of the app: its template under /api, the methods it takes, whether it needs the key.</summary>
public sealed record Route(string Template, IReadOnlyList<string> Methods, bool IsAdmin)
{
    public IReadOnlyList<string> Parameters { get; } =
        [.. Regex.Matches(Template, @"\{(\w+)\}").Select(m => m.Groups[1].Value)];

    public bool Takes(string method) => Methods.Contains(method, StringComparer.OrdinalIgnoreCase);

    public BodyKind BodyFor(string method) =>
        method is "GET" or "DELETE" ? BodyKind.None
        : Template.EndsWith("/form", StringComparison.Ordinal) ? BodyKind.Form
        : Template.StartsWith("unsubscribe", StringComparison.Ordinal) ? BodyKind.Form
        : BodyKind.Json;

    /// <summary>Pages for people: their errors may be HTML (the no-JavaScript form, the report page).</summary>
    public bool IsHtmlPage => Template.EndsWith("/form", StringComparison.Ordinal)
        || Regex.IsMatch(Template, @"^reports/\{\w+\}$") || Template.StartsWith("unsubscribe", StringComparison.Ordinal);

    /// <summary>Query parameters the route reads (forged tokens go there).</summary>
    public IReadOnlyList<string> QueryParameters => Template.StartsWith("unsubscribe", StringComparison.Ordinal) ? ["token"] : [];

    /// <summary>The path with every parameter set to <paramref name="value"/> (already escaped as the caller wants).</summary>
    public string PathWith(Func<string, string> value) =>
        "api/" + Regex.Replace(Template, @"\{(\w+)\}", m => value(m.Groups[1].Value));

    public override string ToString() => $"{string.Join('|', Methods)} /api/{Template}";
}

/// <summary>
/// Every HTTP route, read from the app's own [Function]/[HttpTrigger] attributes the way the local host reads them,
/// so a route added by any area is covered by the hostile-input and access scenarios without editing them.
/// Routes that share a template are merged (their methods together).
/// </summary>
public static class AppRoutes
{
    public static IReadOnlyList<Route> All { get; } =
    [
        .. HttpFunctions.Discover(typeof(SurveyBackend.Web.Problems).Assembly)
            .GroupBy(f => (f.Route, Admin: f.AuthLevel != AuthorizationLevel.Anonymous))
            .Select(g => new Route(g.Key.Route, [.. g.SelectMany(f => f.Methods).Distinct()], g.Key.Admin))
            .OrderBy(r => r.Template, StringComparer.Ordinal),
    ];

    public static IReadOnlyList<Route> Public => [.. All.Where(r => !r.IsAdmin)];
    public static IReadOnlyList<Route> Admin => [.. All.Where(r => r.IsAdmin)];

    /// <summary>Methods that some route in the app does not take: the "wrong method" inputs.</summary>
    public static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH"];

    /// <summary>
    /// The methods a path does not take, across every route that could match it. A template whose every segment is a
    /// parameter-or-literal match of another (surveys/{id} vs admin/…) is a different path, so only same templates merge.
    /// </summary>
    public static IEnumerable<string> WrongMethods(Route route) =>
        Methods.Where(m => !All.Where(r => r.Template == route.Template).Any(r => r.Takes(m)));
}
