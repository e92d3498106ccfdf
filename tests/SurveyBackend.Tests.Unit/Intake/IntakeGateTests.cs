using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SurveyBackend.Form;
using SurveyBackend.Intake;
using SurveyBackend.ProofOfWork;
using SurveyBackend.Web;

namespace SurveyBackend.Tests.Unit.Intake;

/// <summary>
/// The JSON route and the no-JavaScript form post pass one gate, in one order: flood guard, site, body, parse, proof of
/// work (JSON), then the outcome. Each test sends something wrong at two steps and checks that the earlier step answers. Storage points at
/// a closed port, so the only step that reaches it fails as an outage.
/// </summary>
public sealed class IntakeGateTests
{
    private const string SurveyId = "gate-test";
    private const string ValidJson = """{"submissionId":"0b9f1c2e-5d7a-4f8e-9a61-3c2b7e4d9f10","answers":{}}""";
    private const string ValidForm = "submissionId=0b9f1c2e-5d7a-4f8e-9a61-3c2b7e4d9f10&answers.kind=a";

    public static TheoryData<string> Routes => ["json", "form"];

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task FloodGuard_AnswersBeforeTheBodyIsRead(string route)
    {
        using var app = Build(burst: 1);
        await SubmitAsync(app, route, Request("text/plain", "first"));

        var body = new WatchedStream("not even the right media type");
        var result = await SubmitAsync(app, route, Request("text/plain", body));

        Assert.Equal(StatusCodes.Status429TooManyRequests, Status(result));
        Assert.True(Header(result, "Retry-After") is { Length: > 0 }, "429 carries Retry-After");
        Assert.False(body.WasRead, "the flood guard let the body be read");
    }

    [Theory]
    [InlineData("json", "application/problem+json")]
    [InlineData("form", "text/html; charset=utf-8")]
    public async Task CrossSite_AnswersAfterTheFloodGuard_BeforeTheBodyIsRead_403(string route, string contentType)
    {
        using var app = Build(burst: 1);
        // The right media type, so only the order of the steps keeps the body unread.
        var body = new WatchedStream(route == "json" ? ValidJson : ValidForm);
        var hostile = Request(MediaType(route), body);
        hostile.Headers["Sec-Fetch-Site"] = "cross-site";
        hostile.Headers.Origin = "https://evil.example";

        var result = await SubmitAsync(app, route, hostile);
        Assert.Equal(StatusCodes.Status403Forbidden, Status(result));
        Assert.Contains(contentType, ContentTypes(result));
        if (route == "json") Assert.Equal("urn:survey-backend:problem:cross-site", ((ProblemDetails)((ObjectResult)result).Value!).Type);
        Assert.False(body.WasRead, "the site check let the body be read");

        // The flood guard still comes first: the second post from this address is a 429, wherever it came from.
        Assert.Equal(StatusCodes.Status429TooManyRequests, Status(await SubmitAsync(app, route, hostile)));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Body_AnswersBeforeParse_MediaTypeThenSize(string route)
    {
        using var app = Build();
        Assert.Equal(StatusCodes.Status415UnsupportedMediaType, Status(await SubmitAsync(app, route, Request("text/plain", "{ not json"))));

        var tooLarge = Request(MediaType(route), "{ not json");
        tooLarge.ContentLength = IntakeOptions.MaxBodyBytes + 1;
        Assert.Equal(StatusCodes.Status413PayloadTooLarge, Status(await SubmitAsync(app, route, tooLarge)));
    }

    [Fact]
    public async Task JsonParse_AnswersBeforeTheSurveyIsLookedUp()
    {
        using var app = Build();
        var result = await SubmitAsync(app, "json", Request(RequestBodies.Json, "{ not json"));

        // A 503 would mean storage was asked first.
        Assert.Equal(StatusCodes.Status400BadRequest, Status(result));
    }

    [Theory]
    [InlineData("json", "application/problem+json")]
    [InlineData("form", "text/html; charset=utf-8")]
    public async Task AWellFormedSubmission_WithStorageDown_Is503WithRetryAfter_InTheRoutesOwnFormat(string route, string contentType)
    {
        using var app = Build();
        var result = await SubmitAsync(app, route, Request(MediaType(route), route == "json" ? ValidJson : ValidForm));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, Status(result));
        Assert.True(Header(result, "Retry-After") is { Length: > 0 }, "503 carries Retry-After");
        Assert.Contains(contentType, ContentTypes(result));
    }

    [Fact]
    public async Task ProofOfWork_AnswersBeforeTheSurveyIsLookedUp_AndAValidProofWithStorageDownIs503()
    {
        using var app = Build(proofOfWork: "on");
        var missing = await SubmitAsync(app, "json", Request(RequestBodies.Json, ValidJson));
        // A 503 would mean storage (the survey, the used challenges) was asked first.
        Assert.Equal(StatusCodes.Status403Forbidden, Status(missing));
        Assert.Equal("urn:survey-backend:problem:proof-required", ((ProblemDetails)((ObjectResult)missing).Value!).Type);

        var proof = Solve(app.GetRequiredService<ChallengeIssuer>().Issue());
        var withProof = ValidJson[..^1] + ",\"proof\":\"" + proof + "\"}";
        var result = await SubmitAsync(app, "json", Request(RequestBodies.Json, withProof));
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, Status(result));
    }

    /// <summary>A solver in a few lines, for a challenge of the lowest difficulty.</summary>
    private static string Solve(Challenge challenge)
    {
        var p = challenge.Parameters;
        for (uint counter = 0; ; counter++)
        {
            var key = ChallengeIssuer.DeriveKey(Convert.FromHexString(p.Nonce), Convert.FromHexString(p.Salt), counter, (int)p.Cost);
            if (!Convert.ToHexStringLower(key).StartsWith(p.KeyPrefix, StringComparison.Ordinal)) continue;
            var payload = "{\"challenge\":" + challenge.ToJson() + ",\"solution\":{\"counter\":" + counter + ",\"derivedKey\":\"" + Convert.ToHexStringLower(key) + "\"}}";
            return Convert.ToBase64String(Encoding.UTF8.GetBytes(payload));
        }
    }

    private static ServiceProvider Build(int burst = 20, string proofOfWork = "off")
    {
        var configuration = OfflineApp.Configuration(new Dictionary<string, string?>
        {
            ["Intake:RequestsPerMinute"] = "1",
            ["Intake:Burst"] = burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Intake:ProofOfWork"] = proofOfWork,
            ["Intake:ProofOfWorkCost"] = "1",
            ["Intake:ProofOfWorkMaxNumber"] = "2",
        });
        return new ServiceCollection().AddLogging().AddSurveyBackend(configuration).BuildServiceProvider();
    }

    private static Task<IActionResult> SubmitAsync(IServiceProvider app, string route, HttpRequest request) => route == "json"
        ? app.GetRequiredService<IntakeEndpoints>().SubmitAsync(request, SurveyId, CancellationToken.None)
        : app.GetRequiredService<FormEndpoints>().SubmitAsync(request, SurveyId, CancellationToken.None);

    private static string MediaType(string route) => route == "json" ? RequestBodies.Json : RequestBodies.Form;

    private static HttpRequest Request(string contentType, string body) => Request(contentType, new WatchedStream(body));

    private static HttpRequest Request(string contentType, Stream body)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        context.Request.Body = body;
        return context.Request;
    }

    private static int? Status(IActionResult result) => result switch
    {
        HeaderResult header => Status(header.Inner),
        ObjectResult o => o.StatusCode,
        ContentResult c => c.StatusCode,
        JsonResult j => j.StatusCode,
        _ => null,
    };

    private static string? Header(IActionResult result, string name) =>
        HeaderValues(result).TryGetValue(name, out var value) ? value : null;

    private static Dictionary<string, string> HeaderValues(IActionResult result)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var r = result; r is HeaderResult header; r = header.Inner) headers[header.Name] = header.Value;
        return headers;
    }

    private static IEnumerable<string> ContentTypes(IActionResult result) => result switch
    {
        HeaderResult header => ContentTypes(header.Inner),
        ObjectResult o => o.ContentTypes,
        ContentResult c => [c.ContentType ?? ""],
        _ => [],
    };

    /// <summary>A request body that says whether anyone read it.</summary>
    private sealed class WatchedStream(string text) : MemoryStream(Encoding.UTF8.GetBytes(text))
    {
        public bool WasRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            WasRead = true;
            return base.Read(buffer, offset, count);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            WasRead = true;
            return base.ReadAsync(buffer, cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            WasRead = true;
            return base.ReadAsync(buffer, offset, count, cancellationToken);
        }
    }
}
