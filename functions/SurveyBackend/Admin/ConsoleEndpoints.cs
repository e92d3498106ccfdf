using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace SurveyBackend.Admin;

/// <summary>
/// The survey owner's console (<c>/api/console</c>): one static page, its stylesheet and its script, embedded in the
/// assembly. The page holds no data: everything it shows it fetches from the admin routes with the key the owner
/// pastes, sent as <c>x-functions-key</c>. Strict CSP: only this origin's script, style and API; never framed.
/// </summary>
public static class ConsoleEndpoints
{
    public const string Policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static string Css { get; } = Read("console.css");

    /// <summary>The script as served: console.js with its parts (split by concern) baked in at their markers, one closure.</summary>
    public static string Script { get; } = Read("console.js")
        .Replace("/*__RESULTS_JS__*/", Read("console-results.js"), StringComparison.Ordinal)
        .Replace("/*__REPORTS_JS__*/", Read("console-reports.js"), StringComparison.Ordinal)
        .Replace("/*__DEFINITION_JS__*/", Read("console-definition.js"), StringComparison.Ordinal);

    // After Css and Script: static initialisers run in order.
    public static string Html { get; } = Read("console.html")
        .Replace("__CSS_VERSION__", Version(Css), StringComparison.Ordinal)
        .Replace("__JS_VERSION__", Version(Script), StringComparison.Ordinal);

    public static IActionResult GetPage(HttpRequest request) =>
        Serve(request, Html, "text/html; charset=utf-8", "no-store");

    // The page asks for each asset with its content hash in the query, so the assets may be cached for long.
    public static IActionResult GetScript(HttpRequest request) =>
        Serve(request, Script, "text/javascript; charset=utf-8", "public, max-age=86400");

    public static IActionResult GetStyles(HttpRequest request) =>
        Serve(request, Css, "text/css; charset=utf-8", "public, max-age=86400");

    private static ContentResult Serve(HttpRequest request, string content, string contentType, string cacheControl)
    {
        var headers = request.HttpContext.Response.Headers;
        headers.CacheControl = cacheControl;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = Policy;
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        return new ContentResult { Content = content, ContentType = contentType, StatusCode = StatusCodes.Status200OK };
    }

    private static string Version(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)).AsSpan(0, 8));

    private static string Read(string name)
    {
        var assembly = typeof(ConsoleEndpoints).Assembly;
        using var stream = assembly.GetManifestResourceStream("SurveyBackend.Admin.Assets." + name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
