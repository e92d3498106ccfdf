using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using SurveyBackend.Storage;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Integration.Foundation;

[Collection(StackCollection.Name)]
public sealed class SurveyDefinitionTests(StackFixture stack)
{
    private static string NewSurvey(string id, string status = "open") => $$"""
        { "id": "{{id}}", "title": "Test survey", "status": "{{status}}", "privacy": { "controller": "Test Research Ltd", "contact": "mailto:privacy@example.org" },
          "questions": [ { "id": "q1", "text": "Pick", "type": "single", "required": true,
                           "options": [ { "id": "a", "text": "A" }, { "id": "b", "text": "B" } ] } ] }
        """;

    private static string UniqueId() => "t-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Put_ThenGet_ReturnsThePublicDefinition()
    {
        var id = UniqueId();
        using var put = await stack.Host.PutSurveyAsync(id, NewSurvey(id));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);

        using var get = await stack.Host.Client.GetAsync($"api/surveys/{id}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("public, max-age=60", get.Headers.CacheControl!.ToString());
        var body = JsonNode.Parse(await get.Content.ReadAsStringAsync())!;
        Assert.Equal(id, (string?)body["id"]);
        Assert.Equal("q1", (string?)body["questions"]![0]!["id"]);
        Assert.Null(body["minGroupSize"]); // internal to results, not shown to the form
        // The privacy notice's controller and contact are public: every form shows them.
        Assert.Equal("Test Research Ltd", (string?)body["privacy"]!["controller"]);
        Assert.Equal("mailto:privacy@example.org", (string?)body["privacy"]!["contact"]);
    }

    [Fact]
    public async Task Put_WithoutPrivacy_OrWithABadContact_Returns400AtItsPath_AndSavesNothing()
    {
        var id = UniqueId();
        var withoutPrivacy = JsonNode.Parse(NewSurvey(id))!.AsObject();
        withoutPrivacy.Remove("privacy");
        var badContact = JsonNode.Parse(NewSurvey(id))!.AsObject();
        badContact["privacy"]!["contact"] = "http://example.org/privacy";
        badContact["privacy"]!["controller"] = " ";

        foreach (var (definition, paths) in new[] { (withoutPrivacy, new[] { "privacy" }), (badContact, new[] { "privacy.contact", "privacy.controller" }) })
        {
            using var put = await stack.Host.PutSurveyAsync(id, definition.ToJsonString());
            Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
            Assert.Equal("application/problem+json", put.Content.Headers.ContentType!.MediaType);
            var errors = JsonNode.Parse(await put.Content.ReadAsStringAsync())!["errors"]!.AsObject();
            Assert.Equal(paths.Order(), errors.Select(e => e.Key).Order());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await stack.Host.Client.GetAsync($"api/surveys/{id}")).StatusCode);
    }

    [Fact]
    public async Task Put_Again_Returns200()
    {
        var id = UniqueId();
        (await stack.Host.PutSurveyAsync(id, NewSurvey(id))).Dispose();
        using var again = await stack.Host.PutSurveyAsync(id, NewSurvey(id).Replace("Test survey", "Renamed"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var body = JsonNode.Parse(await (await stack.Host.Client.GetAsync($"api/surveys/{id}")).Content.ReadAsStringAsync())!;
        Assert.Equal("Renamed", (string?)body["title"]);
    }

    [Fact]
    public async Task Get_WithMatchingETag_Returns304_AndAChangedSurveyReturns200()
    {
        var id = UniqueId();
        (await stack.Host.PutSurveyAsync(id, NewSurvey(id))).Dispose();
        using var first = await stack.Host.Client.GetAsync($"api/surveys/{id}");
        var etag = first.Headers.ETag!;

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"api/surveys/{id}");
        conditional.Headers.IfNoneMatch.Add(etag);
        using var notModified = await stack.Host.Client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        (await stack.Host.PutSurveyAsync(id, NewSurvey(id).Replace("Pick", "Choose"))).Dispose();
        using var after = new HttpRequestMessage(HttpMethod.Get, $"api/surveys/{id}");
        after.Headers.IfNoneMatch.Add(etag);
        using var changed = await stack.Host.Client.SendAsync(after);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
    }

    [Fact]
    public async Task Put_WithoutKey_Returns401Problem()
    {
        var id = UniqueId();
        using var content = new StringContent(NewSurvey(id), MediaTypeHeaderValue.Parse("application/json"));
        using var response = await stack.Host.Client.PutAsync($"api/admin/surveys/{id}", content);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await stack.Host.Client.GetAsync($"api/surveys/{id}")).StatusCode);
    }

    [Fact]
    public async Task Put_WithWrongKeyInQuery_Returns401()
    {
        var id = UniqueId();
        using var content = new StringContent(NewSurvey(id), MediaTypeHeaderValue.Parse("application/json"));
        using var response = await stack.Host.Client.PutAsync($"api/admin/surveys/{id}?code=wrong", content);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Put_WithKeyInQuery_IsAccepted()
    {
        var id = UniqueId();
        using var content = new StringContent(NewSurvey(id), MediaTypeHeaderValue.Parse("application/json"));
        using var response = await stack.Host.Client.PutAsync($"api/admin/surveys/{id}?code={LocalHostServer.FunctionKey}", content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Get_UnknownSurvey_Returns404Problem()
    {
        using var response = await stack.Host.Client.GetAsync("api/surveys/no-such-survey");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Get_DraftSurvey_Returns404()
    {
        var id = UniqueId();
        (await stack.Host.PutSurveyAsync(id, NewSurvey(id, status: "draft"))).Dispose();
        using var response = await stack.Host.Client.GetAsync($"api/surveys/{id}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Put_InvalidDefinition_Returns400WithEveryFieldPath()
    {
        var id = UniqueId();
        using var response = await stack.Host.PutSurveyAsync(id, """
            { "id": "x", "status": "open", "segments": ["q1"],
              "questions": [ { "id": "q1", "text": "Q", "type": "multiple", "options": [ { "id": "a", "text": "A" } ] } ] }
            """);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Contains("id", errors.Select(e => e.Key));
        Assert.Contains("title", errors.Select(e => e.Key));
        Assert.Contains("segments[0]", errors.Select(e => e.Key));
        Assert.Contains("questions[0].options", errors.Select(e => e.Key));
    }

    [Fact]
    public async Task Put_NotJson_Returns415()
    {
        var id = UniqueId();
        using var content = new StringContent(NewSurvey(id), MediaTypeHeaderValue.Parse("text/plain"));
        using var response = await stack.Host.Admin.PutAsync($"api/admin/surveys/{id}", content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Put_ChangingOptionIdsAfterResponses_Returns409_ButRewordingIsAllowed()
    {
        var id = UniqueId();
        (await stack.Host.PutSurveyAsync(id, NewSurvey(id))).Dispose();
        // A response exists once intake has stored a submission for the survey.
        var submissions = new TableClient(stack.Azurite.ConnectionString, TableNames.Submissions);
        await submissions.AddEntityAsync(new TableEntity(id, Guid.NewGuid().ToString()));

        using var renamed = await stack.Host.PutSurveyAsync(id, NewSurvey(id).Replace("\"id\": \"b\"", "\"id\": \"c\""));
        Assert.Equal(HttpStatusCode.Conflict, renamed.StatusCode);
        Assert.Equal("application/problem+json", renamed.Content.Headers.ContentType!.MediaType);

        using var reworded = await stack.Host.PutSurveyAsync(id, NewSurvey(id).Replace("Pick", "Pick one"));
        Assert.Equal(HttpStatusCode.OK, reworded.StatusCode);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Put_WithMinGroupSizeBelowThree_Returns400AtMinGroupSize_AndSavesNothing(int size)
    {
        var id = UniqueId();
        using var response = await stack.Host.PutSurveyAsync(id, WithThreshold(NewSurvey(id), size));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Equal(["minGroupSize"], errors.Select(e => e.Key));
        Assert.Contains("between 3 and 100", (string)errors["minGroupSize"]![0]!);
        using var get = await stack.Host.Client.GetAsync($"api/surveys/{id}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);

        using var three = await stack.Host.PutSurveyAsync(id, WithThreshold(NewSurvey(id), 3));
        Assert.Equal(HttpStatusCode.Created, three.StatusCode);
    }

    [Fact]
    public async Task Put_LoweringMinGroupSizeAfterResponses_Returns409WithTheReason_ButRaisingItOrLoweringItBeforeIsAllowed()
    {
        var id = UniqueId();
        (await stack.Host.PutSurveyAsync(id, WithThreshold(NewSurvey(id), 6))).Dispose();
        // Before any response, the threshold may go down (the admin is still setting up).
        using (var lowered = await stack.Host.PutSurveyAsync(id, WithThreshold(NewSurvey(id), 5))) Assert.Equal(HttpStatusCode.OK, lowered.StatusCode);
        var submissions = new TableClient(stack.Azurite.ConnectionString, TableNames.Submissions);
        await submissions.AddEntityAsync(new TableEntity(id, Guid.NewGuid().ToString()));

        using var down = await stack.Host.PutSurveyAsync(id, WithThreshold(NewSurvey(id), 4));
        Assert.Equal(HttpStatusCode.Conflict, down.StatusCode);
        Assert.Equal("application/problem+json", down.Content.Headers.ContentType!.MediaType);
        var problem = JsonNode.Parse(await down.Content.ReadAsStringAsync())!;
        Assert.Equal("urn:survey-backend:problem:conflict", (string)problem["type"]!);
        Assert.Contains("minGroupSize may only go up", (string)problem["detail"]!);
        Assert.Contains("at least 5", (string)problem["detail"]!);

        // The refused save changed nothing: the same threshold again, or a higher one, is fine.
        using (var same = await stack.Host.PutSurveyAsync(id, WithThreshold(NewSurvey(id), 5))) Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        using (var up = await stack.Host.PutSurveyAsync(id, WithThreshold(NewSurvey(id), 8))) Assert.Equal(HttpStatusCode.OK, up.StatusCode);
        using var backToFive = await stack.Host.PutSurveyAsync(id, WithThreshold(NewSurvey(id), 5));
        Assert.Equal(HttpStatusCode.Conflict, backToFive.StatusCode);
        Assert.Contains("at least 8", (string)JsonNode.Parse(await backToFive.Content.ReadAsStringAsync())!["detail"]!);
        // Leaving it out means the default, 5: also lower than 8.
        using var omitted = await stack.Host.PutSurveyAsync(id, NewSurvey(id));
        Assert.Equal(HttpStatusCode.Conflict, omitted.StatusCode);
    }

    private static string WithThreshold(string definition, int minGroupSize)
    {
        var json = JsonNode.Parse(definition)!.AsObject();
        json["minGroupSize"] = minGroupSize;
        return json.ToJsonString();
    }

    [Fact]
    public async Task Health_WithStorageUp_Returns200Healthy()
    {
        using var response = await stack.Host.Client.GetAsync("api/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task UnknownRoute_AndWrongMethod_AnswerProblemJson()
    {
        using var unknown = await stack.Host.Client.GetAsync("api/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType!.MediaType);

        using var wrongMethod = await stack.Host.Client.DeleteAsync("api/health");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal("application/problem+json", wrongMethod.Content.Headers.ContentType!.MediaType);
    }
}
