using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace SurveyBackend.Web;

/// <summary><c>GET /api/openapi.json</c>: the HTTP contract (docs/openapi.json), embedded in the app at build.</summary>
public sealed class ContractEndpoints
{
    private static readonly byte[] Document = Load();
    private static readonly string DocumentETag = "\"" + Convert.ToHexStringLower(SHA256.HashData(Document))[..16] + "\"";

    public IActionResult GetOpenApi(HttpRequest request)
    {
        var headers = request.HttpContext.Response.Headers;
        headers.CacheControl = "public, max-age=300";
        headers.ETag = DocumentETag;
        headers.XContentTypeOptions = "nosniff";
        if (EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch, out var tags)
            && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag == DocumentETag))
        {
            return new StatusCodeResult(StatusCodes.Status304NotModified);
        }
        return new FileContentResult(Document, "application/json; charset=utf-8");
    }

    private static byte[] Load()
    {
        using var stream = typeof(ContractEndpoints).Assembly.GetManifestResourceStream("SurveyBackend.openapi.json")
            ?? throw new InvalidOperationException("docs/openapi.json is not embedded in the app.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
