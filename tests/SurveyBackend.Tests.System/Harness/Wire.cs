using System.Diagnostics;
using System.Net.Http.Headers;

namespace SurveyBackend.Tests.System.Harness;

/// <summary>What came back for one request, read in full.</summary>
public sealed record WireResponse(int Status, string? MediaType, string Body, TimeSpan Elapsed, IReadOnlyDictionary<string, string> Headers);

/// <summary>Sends a request exactly as given: any method, any content type (or none), raw bytes, chunked or not.</summary>
public static class Wire
{
    public static async Task<WireResponse> SendAsync(HttpClient client, string method, string path, string? contentType, byte[]? body,
        bool chunked = false, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            HttpContent content = chunked ? new ChunkedContent(body) : new ByteArrayContent(body);
            content.Headers.ContentType = null;
            if (contentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            request.Content = content;
        }
        foreach (var (name, value) in headers ?? []) request.Headers.TryAddWithoutValidation(name, value);

        var watch = Stopwatch.StartNew();
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var all = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(',', h.Value), StringComparer.OrdinalIgnoreCase);
        return new WireResponse((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, text, watch.Elapsed, all);
    }

    /// <summary>A body with no Content-Length: sent chunked, so the server can only find its size by reading it.</summary>
    private sealed class ChunkedContent(byte[] body) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, global::System.Net.TransportContext? context)
        {
            for (var offset = 0; offset < body.Length; offset += 8192)
                await stream.WriteAsync(body.AsMemory(offset, Math.Min(8192, body.Length - offset)));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
