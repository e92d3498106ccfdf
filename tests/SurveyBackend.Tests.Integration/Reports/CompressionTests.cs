using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace SurveyBackend.Tests.Integration.Reports;

/// <summary>
/// What goes over the wire, through the local host's real Kestrel (the same middleware runs first in the worker's
/// pipeline in Azure): every page, script and JSON route people load is coded as the client accepts, decodes to what an
/// uncoded request gets, varies by Accept-Encoding, and still answers 304 to either form of its ETag.
/// </summary>
[Collection(ReportsCollection.Name)]
public sealed partial class CompressionTests(ReportsStack stack)
{
    private const string Browser = "gzip, deflate, br, zstd";

    [Theory]
    [InlineData(Browser, "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("gzip;q=1, br;q=0.5", "gzip")]
    [InlineData("*", "br")]
    [InlineData("br;q=0, *;q=0.3", "gzip")]
    public async Task EveryPageScriptAndJsonRoute_IsCodedAsAccepted_AndDecodesToTheUncodedBody(string acceptEncoding, string expected)
    {
        var routes = await RoutesAsync();
        foreach (var (path, admin) in routes)
        {
            var client = admin ? stack.Host.Admin : stack.Host.Client;
            var (plain, plainResponse) = await GetAsync(client, path, acceptEncoding: null);
            var (coded, response) = await GetAsync(client, path, acceptEncoding);

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            Assert.True(response.Content.Headers.ContentEncoding.SequenceEqual([expected]), $"{path}: Content-Encoding {string.Join(",", response.Content.Headers.ContentEncoding)}");
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
            Assert.Equal(coded.Length, response.Content.Headers.ContentLength);
            Assert.Equal(plainResponse.Content.Headers.ContentType?.MediaType, response.Content.Headers.ContentType?.MediaType);
            var decoded = Decode(coded, expected);
            Assert.True(coded.Length < decoded.Length / 2, $"{path}: {coded.Length} bytes coded from {decoded.Length}");
            Assert.Equal(Comparable(path, plain), Comparable(path, decoded));
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("identity")]
    [InlineData("br;q=0, gzip;q=0")]
    [InlineData("gzip;q=0.5, identity")]
    public async Task AClientThatAsksForNoCoding_GetsTheBodyAsItIs(string? acceptEncoding)
    {
        foreach (var (path, admin) in await RoutesAsync())
        {
            var (body, response) = await GetAsync(admin ? stack.Host.Admin : stack.Host.Client, path, acceptEncoding);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Content.Headers.ContentEncoding.Count == 0, $"{path}: coded as {string.Join(",", response.Content.Headers.ContentEncoding)}");
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
            Assert.Equal(body.Length, response.Content.Headers.ContentLength);
            Assert.False(response.Headers.ETag?.IsWeak ?? false, $"{path}: an uncoded body keeps its strong ETag");
        }
    }

    [Theory]
    [InlineData("api/surveys/{survey}")]
    [InlineData("api/surveys/{survey}/benchmark")]
    [InlineData("api/embed.js")]
    [InlineData("api/openapi.json")]
    public async Task ACodedBody_HasAWeakETag_AndEitherFormOfItRevalidatesTo304(string route)
    {
        var path = route.Replace("{survey}", (await PublishedAsync()).SurveyId, StringComparison.Ordinal);
        var (_, plain) = await GetAsync(stack.Host.Client, path, acceptEncoding: null);
        var (_, coded) = await GetAsync(stack.Host.Client, path, Browser);
        var strong = plain.Headers.ETag!;
        Assert.False(strong.IsWeak);
        Assert.Equal(new EntityTagHeaderValue(strong.Tag, isWeak: true), coded.Headers.ETag);

        foreach (var (sent, acceptEncoding, answered) in new[]
        {
            (coded.Headers.ETag!, Browser, coded.Headers.ETag!),
            (strong, Browser, coded.Headers.ETag!),
            (coded.Headers.ETag!, null, strong),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.IfNoneMatch.Add(sent);
            if (acceptEncoding is not null) request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
            using var response = await stack.Host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
            Assert.Empty(response.Content.Headers.ContentEncoding);
            Assert.Equal(answered, response.Headers.ETag);
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
        }
    }

    [Fact]
    public async Task ASmallBody_GoesUncoded()
    {
        foreach (var path in new[] { "api/health", "api/surveys/no-such-survey" })
        {
            var (body, response) = await GetAsync(stack.Host.Client, path, Browser);
            Assert.True(body.Length < 1024, $"{path}: {body.Length} bytes");
            Assert.Empty(response.Content.Headers.ContentEncoding);
        }
    }

    [Fact]
    public async Task TheSurveysOwnVary_IsKept_BesideAcceptEncoding()
    {
        var (_, response) = await GetAsync(stack.Host.Client, $"api/surveys/{(await PublishedAsync()).SurveyId}", Browser);
        Assert.Equal(["Accept-Language", "Accept-Encoding"], response.Headers.Vary);
    }

    private sealed record Published(string SurveyId, string ReportId);

    private static Published? published;
    private static readonly SemaphoreSlim Publishing = new(1, 1);

    /// <summary>One open survey with a public report (so the benchmark route answers), shared by the tests here.</summary>
    private async Task<Published> PublishedAsync()
    {
        await Publishing.WaitAsync();
        try
        {
            if (published is not null) return published;
            var survey = await stack.PutSurveyAsync("coded", status: "open");
            return published = new Published(survey.Id, await stack.PublishAsync(survey.Id));
        }
        finally
        {
            Publishing.Release();
        }
    }

    /// <summary>The report's page, slides and CSV; the form page and every script and stylesheet it loads; the JSON routes.</summary>
    private async Task<List<(string Path, bool Admin)>> RoutesAsync()
    {
        var (surveyId, reportId) = await PublishedAsync();
        var form = $"api/surveys/{surveyId}/form";
        var routes = new List<(string, bool)>
        {
            ($"api/reports/{reportId}", false), ($"api/reports/{reportId}/slides", false), ($"api/reports/{reportId}/results.csv", false),
            (form, false), ("api/embed.js", false),
            ($"api/surveys/{surveyId}", false), ($"api/surveys/{surveyId}/benchmark", false), ("api/openapi.json", false),
            ($"api/admin/surveys/{surveyId}/results", true),
        };
        var page = await stack.Host.Client.GetStringAsync(form);
        foreach (Match asset in AssetReference().Matches(page))
        {
            var path = new Uri(new Uri(stack.Host.BaseAddress, form), WebUtility.HtmlDecode(asset.Groups["url"].Value)).PathAndQuery.TrimStart('/');
            if (!routes.Contains((path, false))) routes.Add((path, false));
        }
        return routes;
    }

    private static async Task<(byte[] Body, HttpResponseMessage Response)> GetAsync(HttpClient client, string path, string? acceptEncoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptEncoding is not null) request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        var response = await client.SendAsync(request);
        return (await response.Content.ReadAsByteArrayAsync(), response);
    }

    private static byte[] Decode(byte[] coded, string coding)
    {
        using var input = new MemoryStream(coded);
        using Stream decoder = coding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>The body, less what differs between two requests by design (the form's per-request ids, live results' time).</summary>
    private static string Comparable(string path, byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        if (path.EndsWith("/form", StringComparison.Ordinal)) return PerRequestValue().Replace(text, "value=\"…\"");
        return path.EndsWith("/results", StringComparison.Ordinal) ? GeneratedAt().Replace(text, "\"generatedAt\":\"…\"") : text;
    }

    [GeneratedRegex("""<script\b[^>]*?\bsrc="(?<url>[^"]+)"|<link\b(?=[^>]*\brel="stylesheet")[^>]*?\bhref="(?<url>[^"]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex AssetReference();

    [GeneratedRegex("\"generatedAt\":\"[^\"]*\"")]
    private static partial Regex GeneratedAt();

    [GeneratedRegex(@"value=""[A-Za-z0-9_\-.~+/=:]{20,}""")]
    private static partial Regex PerRequestValue();
}
