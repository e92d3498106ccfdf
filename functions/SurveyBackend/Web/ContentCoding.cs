using System.IO.Compression;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace SurveyBackend.Web;

/// <summary>The content codings the app sends: none, gzip or Brotli, with their names in Content-Encoding.</summary>
public enum ContentCoding { Identity, Gzip, Brotli }

/// <summary>
/// Which coding a client gets (RFC 9110 §12.5.3, by <c>Accept-Encoding</c> and its q-values), which bodies are worth
/// coding, and the coding itself. Pure functions: the middleware (<see cref="ResponseCompression"/>) does the HTTP.
/// </summary>
public static class ContentCodings
{
    /// <summary>A body smaller than this goes as it is: it fits in one packet either way, so coding saves no round trip.</summary>
    public const int MinimumBytes = 1024;

    // Quality 5 of 11: the report page (194 KB) codes to 14.8 KB in about 4 ms; quality 11 makes 12.4 KB in 0.8 s.
    private const int BrotliQuality = 5;
    private const int BrotliWindowBits = 22;

    public static string Name(ContentCoding coding) => coding switch
    {
        ContentCoding.Brotli => "br",
        ContentCoding.Gzip => "gzip",
        _ => "identity",
    };

    /// <summary>
    /// The coding with the highest q-value among those the client accepts (Brotli before gzip at equal q), or identity
    /// when it names none, refuses both (<c>q=0</c>), or prefers identity by a higher q. No header means identity, as
    /// browsers always send one and other clients may not decode.
    /// </summary>
    public static ContentCoding Choose(StringValues acceptEncoding)
    {
        if (StringValues.IsNullOrEmpty(acceptEncoding)
            || !StringWithQualityHeaderValue.TryParseList(acceptEncoding, out var accepted) || accepted.Count == 0)
        {
            return ContentCoding.Identity;
        }

        var brotli = Quality(accepted, "br");
        var gzip = Quality(accepted, "gzip");
        var best = brotli >= gzip ? (Coding: ContentCoding.Brotli, Q: brotli) : (Coding: ContentCoding.Gzip, Q: gzip);
        if (best.Q <= 0) return ContentCoding.Identity;
        // identity is acceptable unless excluded; only a q above the coding's makes the client prefer it.
        return Quality(accepted, "identity") is var identity && identity > best.Q ? ContentCoding.Identity : best.Coding;
    }

    /// <summary>Text, which codes well: HTML, CSS, CSV, JavaScript, JSON and problem+json, SVG and other XML.</summary>
    public static bool IsCompressible(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MediaType.Value is not { } mediaType) return false;
        return mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/javascript", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/xml", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+xml", StringComparison.OrdinalIgnoreCase);
    }

    public static byte[] Encode(ReadOnlySpan<byte> body, ContentCoding coding) => coding switch
    {
        ContentCoding.Brotli => Brotli(body),
        ContentCoding.Gzip => Gzip(body),
        _ => body.ToArray(),
    };

    private static double Quality(IList<StringWithQualityHeaderValue> accepted, string coding)
    {
        double? wildcard = null;
        foreach (var entry in accepted)
        {
            if (entry.Value.Equals(coding, StringComparison.OrdinalIgnoreCase)) return entry.Quality ?? 1;
            if (entry.Value.Equals("*", StringComparison.Ordinal)) wildcard ??= entry.Quality ?? 1;
        }
        // Not named: "*" speaks for it; otherwise a coding is not accepted, and identity always is (at the lowest q).
        return wildcard ?? (coding == "identity" ? double.Epsilon : 0);
    }

    private static byte[] Brotli(ReadOnlySpan<byte> body)
    {
        var output = new byte[BrotliEncoder.GetMaxCompressedLength(body.Length)];
        if (!BrotliEncoder.TryCompress(body, output, out var written, BrotliQuality, BrotliWindowBits))
            throw new InvalidOperationException("Brotli could not code the body into its maximum size.");
        return output.AsSpan(0, written).ToArray();
    }

    private static byte[] Gzip(ReadOnlySpan<byte> body)
    {
        using var output = new MemoryStream(body.Length / 4);
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(body);
        return output.ToArray();
    }
}
