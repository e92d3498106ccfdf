using System.IO.Compression;
using System.Net;
using SurveyBackend.Testing;

namespace SurveyBackend.Benchmarks;

/// <summary>
/// What a host page loads to embed the survey: <c>GET /api/embed.js</c> through the local host, as a browser asks for it
/// (<c>Accept-Encoding: gzip, br</c>), and its body gzipped as a server would send it when the host does not compress.
/// Goal: at most 2 KB (2,048 bytes) gzipped. Baseline, in the same run: the form page's own script (<c>form.js</c>),
/// which carries the form's behaviour, words and "how you compare" that the script embed used to put on the host page,
/// and which only the frame loads now. No arguments.
/// </summary>
public sealed class EmbedSizeBenchmark : IBenchmark
{
    private const int Budget = 2048;

    public string Name => "embed";
    public string Description => "embed.js as a host page loads it (<= 2 KB gzipped), against form.js, which only the frame loads";

    public async Task RunAsync(string[] args)
    {
        await using var azurite = await AzuriteServer.StartNewAsync();
        await using var host = await LocalHostServer.StartAsync(azurite, new Dictionary<string, string?> { ["Anonymity:Secret"] = PipelineBenchmark.LocalSecret() });
        using var browser = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = host.BaseAddress };

        var embed = await MeasureAsync(browser, "api/embed.js");
        var form = await MeasureAsync(browser, "api/form.js");
        Console.WriteLine($"  embed.js (what the host page loads): {embed}");
        Console.WriteLine($"  form.js (baseline; only the frame loads it): {form}");
        Console.WriteLine($"  embed.js / form.js, gzipped: {(double)embed.Gzipped / form.Gzipped:0.00}x");
        Console.WriteLine($"  goal: embed.js <= {Budget:N0} bytes gzipped: {(embed.Gzipped <= Budget ? "met" : "NOT met")} ({embed.Gzipped:N0})");
    }

    private static async Task<Size> MeasureAsync(HttpClient browser, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.ParseAdd("gzip, br");
        using var response = await browser.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var wire = await response.Content.ReadAsByteArrayAsync();
        var encoding = string.Join(",", response.Content.Headers.ContentEncoding);
        var body = encoding switch
        {
            "" => wire,
            "gzip" => await Decode(new GZipStream(new MemoryStream(wire), CompressionMode.Decompress)),
            "br" => await Decode(new BrotliStream(new MemoryStream(wire), CompressionMode.Decompress)),
            _ => throw new InvalidOperationException($"{path} came as {encoding}, which this benchmark cannot decode."),
        };
        return new Size(wire.Length, encoding == "" ? "identity" : encoding, body.Length, Gzip(body, CompressionLevel.Optimal), Gzip(body, CompressionLevel.SmallestSize));
    }

    private static async Task<byte[]> Decode(Stream stream)
    {
        await using (stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
    }

    private static int Gzip(byte[] body, CompressionLevel level)
    {
        using var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, level, leaveOpen: true)) gzip.Write(body);
        return (int)gzipped.Length;
    }

    private sealed record Size(int Wire, string Encoding, int Raw, int Gzipped, int GzippedSmallest)
    {
        public override string ToString() =>
            $"{Raw:N0} bytes raw; on the wire {Wire:N0} bytes ({Encoding}); gzipped {Gzipped:N0} bytes (optimal), {GzippedSmallest:N0} (smallest)";
    }
}
