using System.IO.Compression;
using System.Text;
using SurveyBackend.Web;

namespace SurveyBackend.Tests.Unit.Hosting;

/// <summary>Which coding a client gets by its Accept-Encoding (RFC 9110 §12.5.3), and which bodies are worth coding.</summary>
public sealed class ContentCodingTests
{
    [Theory]
    [InlineData(null, ContentCoding.Identity)]
    [InlineData("", ContentCoding.Identity)]
    [InlineData("gzip, deflate, br, zstd", ContentCoding.Brotli)]
    [InlineData("gzip, deflate", ContentCoding.Gzip)]
    [InlineData("GZIP", ContentCoding.Gzip)]
    [InlineData("br;q=0.5, gzip;q=0.8", ContentCoding.Gzip)]
    [InlineData("br;q=0.8, gzip;q=0.8", ContentCoding.Brotli)]
    [InlineData("br;q=0, gzip;q=0", ContentCoding.Identity)]
    [InlineData("br;q=0, gzip", ContentCoding.Gzip)]
    [InlineData("*", ContentCoding.Brotli)]
    [InlineData("*;q=0", ContentCoding.Identity)]
    [InlineData("gzip;q=0, *;q=0.5", ContentCoding.Brotli)]
    [InlineData("identity", ContentCoding.Identity)]
    [InlineData("gzip;q=0.5, identity", ContentCoding.Identity)]
    [InlineData("gzip, identity;q=0.5", ContentCoding.Gzip)]
    [InlineData("deflate, compress", ContentCoding.Identity)]
    [InlineData("br;q=abc, gzip", ContentCoding.Gzip)]
    public void Choose_TakesTheHighestQuality_BrotliOnATie_IdentityWhenNothingElseIsAccepted(string? acceptEncoding, ContentCoding expected) =>
        Assert.Equal(expected, ContentCodings.Choose(acceptEncoding));

    [Theory]
    [InlineData("text/html; charset=utf-8", true)]
    [InlineData("text/css", true)]
    [InlineData("text/csv; charset=utf-8", true)]
    [InlineData("text/javascript; charset=utf-8", true)]
    [InlineData("application/javascript", true)]
    [InlineData("application/json; charset=utf-8", true)]
    [InlineData("application/problem+json", true)]
    [InlineData("image/svg+xml", true)]
    [InlineData("image/png", false)]
    [InlineData("application/pdf", false)]
    [InlineData("application/zip", false)]
    [InlineData("font/woff2", false)]
    [InlineData("application/octet-stream", false)]
    [InlineData(null, false)]
    [InlineData("not a type", false)]
    public void IsCompressible_TextAndItsKin_NotWhatIsAlreadyCompressed(string? contentType, bool expected) =>
        Assert.Equal(expected, ContentCodings.IsCompressible(contentType));

    [Theory]
    [InlineData(ContentCoding.Brotli)]
    [InlineData(ContentCoding.Gzip)]
    public void Encode_DecodesToTheSameBytes(ContentCoding coding)
    {
        var body = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 2000).Select(i => $"<td>{i}</td>")));
        var coded = ContentCodings.Encode(body, coding);
        using var input = new MemoryStream(coded);
        using Stream decoder = coding == ContentCoding.Brotli ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        Assert.Equal(body, output.ToArray());
        Assert.True(coded.Length < body.Length / 4);
    }
}
