using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace SurveyBackend.Web;

/// <summary>A request body read within a size limit, or the problem that stopped it.</summary>
public readonly record struct BodyRead(ReadOnlyMemory<byte> Body, IActionResult? Problem)
{
    public bool Succeeded => Problem is null;
}

public static class RequestBodies
{
    public const string Json = "application/json";
    public const string Form = "application/x-www-form-urlencoded";

    /// <summary>
    /// Reads the body if its media type is <paramref name="mediaType"/> and it fits in <paramref name="maxBytes"/>.
    /// A declared Content-Length over the limit is refused before a byte is read; a chunked body is cut off
    /// as soon as it passes the limit, so a huge body never sits in memory.
    /// </summary>
    public static async Task<BodyRead> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken, string mediaType = Json)
    {
        if (!HasMediaType(request, mediaType))
        {
            return new(default, Problems.UnsupportedMediaType(mediaType));
        }
        if (request.ContentLength > maxBytes)
        {
            return new(default, Problems.PayloadTooLarge(maxBytes));
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes + 1, 64 * 1024));
        try
        {
            using var body = new MemoryStream();
            int read;
            while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (body.Length + read > maxBytes)
                {
                    return new(default, Problems.PayloadTooLarge(maxBytes));
                }
                body.Write(buffer, 0, read);
            }
            return new(body.ToArray(), null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static bool HasMediaType(HttpRequest request, string mediaType) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
        && contentType.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase)
        && (contentType.Charset.Length == 0 || contentType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));
}
