using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Integration.Intake;

/// <summary>Every way a submission is refused, each with its status, problem type and (for 400) field path.</summary>
[Collection(IntakeCollection.Name)]
public sealed class SubmitRejectionTests(IntakeFixture stack)
{
    private const string Valid = """ "organisationType": "county", "region": "wales", "role": "digital", "channels": ["twitter"], "maturity": "engage", "customerService": "process", "teamSize": "1-2", "challenge": "skills" """;
    private const string Problem = "application/problem+json";

    private static string With(string answers) => Valid + ", " + answers;

    public static TheoryData<string, string, string> Faults => new()
    {
        // name, body (ID stands for a fresh submission id), expected field path
        { "unknown question", SubmitResponseTests.Body("ID", With(""" "favouriteColour": "red" """)), "answers.favouriteColour" },
        { "unknown option", SubmitResponseTests.Body("ID", Valid.Replace("\"wales\"", "\"atlantis\"", StringComparison.Ordinal)), "answers.region" },
        { "unknown option in a list", SubmitResponseTests.Body("ID", Valid.Replace("[\"twitter\"]", "[\"twitter\", \"myspace\"]", StringComparison.Ordinal)), "answers.channels[1]" },
        { "missing required answer", SubmitResponseTests.Body("ID", Valid.Replace(""" "organisationType": "county",""", "", StringComparison.Ordinal)), "answers.organisationType" },
        { "string where a list is due", SubmitResponseTests.Body("ID", Valid.Replace("[\"twitter\"]", "\"twitter\"", StringComparison.Ordinal)), "answers.channels" },
        { "list where a string is due", SubmitResponseTests.Body("ID", Valid.Replace("\"county\"", "[\"county\"]", StringComparison.Ordinal)), "answers.organisationType" },
        { "repeated option", SubmitResponseTests.Body("ID", Valid.Replace("[\"twitter\"]", "[\"twitter\", \"twitter\"]", StringComparison.Ordinal)), "answers.channels[1]" },
        { "more than maxSelections", SubmitResponseTests.Body("ID", With(""" "successMeasures": ["followers", "engagement", "sentiment", "requests"] """)), "answers.successMeasures" },
        { "exclusive with others", SubmitResponseTests.Body("ID", With(""" "insightUse": ["none", "reach"] """)), "answers.insightUse" },
        { "other text without allowOther", SubmitResponseTests.Body("ID", Valid, """, "other": { "region": "Isle of Man" } """), "other.region" },
        { "other text over 200 chars", SubmitResponseTests.Body("ID", Valid.Replace("[\"twitter\"]", "[\"other\"]", StringComparison.Ordinal), $$""", "other": { "channels": "{{new string('x', 201)}}" } """), "other.channels" },
        { "submissionId not a UUID", SubmitResponseTests.Body("12345", Valid), "submissionId" },
        { "submissionId a number", $$"""{ "submissionId": 12345, "answers": { {{Valid}} } }""", "submissionId" },
        { "email not an address with wantsReport", SubmitResponseTests.Body("ID", Valid, """, "respondent": { "email": "jo-at-example", "wantsReport": true, "consent": true } """), "respondent.email" },
        { "unknown top-level property", SubmitResponseTests.Body("ID", Valid, """, "ipAddress": "1.2.3.4" """), "ipAddress" },
        { "number where an id is due", SubmitResponseTests.Body("ID", Valid.Replace("\"county\"", "7", StringComparison.Ordinal)), "answers.organisationType" },
        { "null where an id is due", SubmitResponseTests.Body("ID", Valid.Replace("[\"twitter\"]", "[\"twitter\", null]", StringComparison.Ordinal)), "answers.channels[1]" },
        { "duplicate property", SubmitResponseTests.Body("ID", With(""" "region": "london" """)), "answers.region" },
        { "JSON that does not parse", """{ "submissionId": "ID", "answers": { """, "" },
        { "not an object", "[]", "" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Submit_WithFault_Returns400ValidationProblem_AtItsFieldPath_AndStoresNothing(string name, string body, string path)
    {
        var id = Guid.NewGuid().ToString();
        using var response = await stack.PostAsync(body.Replace("\"ID\"", $"\"{id}\"", StringComparison.Ordinal));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode}");
        Assert.Equal(Problem, response.Content.Headers.ContentType!.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("urn:survey-backend:problem:validation", (string?)problem["type"]);
        Assert.Equal(400, (int?)problem["status"]);
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(path), $"{name}: expected '{path}' in {errors.ToJsonString()}");
        Assert.NotEmpty(errors[path]!.AsArray());
        Assert.Null(await stack.FindRowAsync(id));
        Assert.Equal(0, stack.Queue.SentCount(id));
    }

    [Fact]
    public async Task Submit_WithInvalidUtf8_Returns400_NotA500()
    {
        var id = Guid.NewGuid().ToString();
        var bytes = Encoding.UTF8.GetBytes(SubmitResponseTests.Body(id)).ToList();
        bytes.InsertRange(bytes.IndexOf((byte)'c'), new byte[] { 0xC3, 0x28, 0xFF }); // inside a string value
        using var content = new ByteArrayContent(bytes.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await stack.Host.Client.PostAsync($"api/surveys/{RepoPaths.SampleSurveyId}/responses", content);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.Null(await stack.FindRowAsync(id));
    }

    [Fact]
    public async Task Submit_WithManyFaults_ReportsThemAllAtOnce()
    {
        using var response = await stack.PostAsync("""
            { "submissionId": "nope", "answers": { "organisationType": ["county"], "channels": ["twitter", "twitter"], "colour": "red" },
              "other": { "region": "x" }, "respondent": { "email": "bad", "wantsReport": true }, "extra": true }
            """);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject().Select(e => e.Key).ToHashSet();
        Assert.Superset(new HashSet<string> { "submissionId", "answers.organisationType", "answers.channels[1]", "answers.colour", "answers.region", "other.region", "respondent.email", "extra" }, errors);
    }

    private async Task<string> NewSurveyAsync(string status = "open", string window = "")
    {
        var id = "intake-" + Guid.NewGuid().ToString("N")[..12];
        using var put = await stack.Host.PutSurveyAsync(id, $$"""
            { "id": "{{id}}", "title": "T", "status": "{{status}}" {{window}}, "privacy": { "controller": "Test Research Ltd", "contact": "mailto:privacy@example.org" },
              "questions": [ { "id": "q1", "text": "Pick", "type": "single", "required": true, "options": [ { "id": "a", "text": "A" }, { "id": "b", "text": "B" } ] } ] }
            """);
        put.EnsureSuccessStatusCode();
        return id;
    }

    private async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(Problem, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("urn:survey-backend:problem:" + type, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["type"]);
    }

    private static string Q1(string id) => $$"""{ "submissionId": "{{id}}", "answers": { "q1": "a" } }""";

    [Fact]
    public async Task Submit_ToAnOpenSurvey_IsAccepted_TheControlForTheStatusTests()
    {
        var survey = await NewSurveyAsync();
        using var response = await stack.PostAsync(Q1(Guid.NewGuid().ToString()), survey);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Submit_ToUnknownSurvey_Returns404()
    {
        using var response = await stack.PostAsync(Q1(Guid.NewGuid().ToString()), "no-such-survey");
        await AssertProblemAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Submit_ToDraftSurvey_Returns404()
    {
        using var response = await stack.PostAsync(Q1(Guid.NewGuid().ToString()), await NewSurveyAsync("draft"));
        await AssertProblemAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("closed", "")]
    [InlineData("open", """, "opensAt": "2099-01-01T00:00:00Z" """)]
    [InlineData("open", """, "opensAt": "2000-01-01T00:00:00Z", "closesAt": "2001-01-01T00:00:00Z" """)]
    public async Task Submit_ToClosedSurveyOrOutsideItsWindow_Returns410_AndStoresNothing(string status, string window)
    {
        var survey = await NewSurveyAsync(status, window);
        var id = Guid.NewGuid().ToString();
        using var response = await stack.PostAsync(Q1(id), survey);
        await AssertProblemAsync(response, HttpStatusCode.Gone, "closed");
        Assert.Null(await stack.FindRowAsync(id, survey));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=iso-8859-1")]
    public async Task Submit_NotJson_Returns415(string contentType)
    {
        using var response = await IntakeFixture.PostAsync(stack.Host, RepoPaths.SampleSurveyId, SubmitResponseTests.Body(Guid.NewGuid().ToString()), contentType);
        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Fact]
    public async Task Submit_JustOver32KiB_Returns413()
    {
        var id = Guid.NewGuid().ToString();
        var body = SubmitResponseTests.Body(id, Valid, $$""", "website": "", "respondent": { "name": "{{new string('x', 32 * 1024)}}" } """);
        using var response = await stack.PostAsync(body);
        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "too-large");
        Assert.Null(await stack.FindRowAsync(id));
    }

    [Fact]
    public async Task Submit_DeclaringAHugeBody_Returns413_BeforeTheBodyIsSent()
    {
        // Headers only: the server must answer without waiting for 100 MB that never comes.
        var response = await RawExchangeAsync(
            "Content-Type: application/json\r\nContent-Length: 100000000\r\n\r\n{\"submissionId\":");
        Assert.StartsWith("HTTP/1.1 413", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_ChunkedBodyPastTheLimit_Returns413_WithoutReadingToTheEnd()
    {
        // 40 KiB of chunks and no final chunk: the server stops at the limit and answers.
        var chunk = new string(' ', 4096);
        var chunks = string.Concat(Enumerable.Repeat($"{chunk.Length:x}\r\n{chunk}\r\n", 10));
        var response = await RawExchangeAsync("Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks);
        Assert.StartsWith("HTTP/1.1 413", response, StringComparison.Ordinal);
    }

    private async Task<string> RawExchangeAsync(string headersAndBody)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(stack.Host.BaseAddress.Host, stack.Host.BaseAddress.Port);
        await using var stream = client.GetStream();
        var request = $"POST /api/surveys/{RepoPaths.SampleSurveyId}/responses HTTP/1.1\r\nHost: {stack.Host.BaseAddress.Authority}\r\n" + headersAndBody;
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    [Fact]
    public async Task Submit_TooFast_Returns429WithRetryAfter_AndStoresNothingForTheRefused()
    {
        var ids = Enumerable.Range(0, IntakeFixture.LimitedBurst + 1).Select(_ => Guid.NewGuid().ToString()).ToList();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        foreach (var id in ids)
        {
            var response = await stack.PostAsync(SubmitResponseTests.Body(id), host: stack.LimitedHost);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused = response;
            else response.Dispose();
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Accepted, IntakeFixture.LimitedBurst).Append(HttpStatusCode.TooManyRequests), statuses);
        using (refused)
        {
            await AssertProblemAsync(refused!, HttpStatusCode.TooManyRequests, "too-many-requests");
            Assert.True(refused!.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "429 carries Retry-After in seconds");
        }
        Assert.Null(await stack.FindRowAsync(ids[^1]));
        Assert.NotNull(await stack.FindRowAsync(ids[0]));
    }
}
