using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using SurveyBackend.Testing;
using SurveyBackend.Tests.Integration.Intake;

namespace SurveyBackend.Tests.Integration.Validation;

/// <summary>
/// One table of malformed bodies, run through the routes that read JSON (a submission, a definition, a report, the
/// console's summary preview):
/// each fault is a 400 validation problem whose <c>errors</c> name exactly the path where it was planted, in the same
/// syntax everywhere, and the same path where the same fault sits at the same place.
/// </summary>
[Collection(IntakeCollection.Name)]
public sealed class MalformedBodyTests(IntakeFixture stack)
{
    private const string Submit = "submission", Define = "definition", Publish = "report", Preview = "summary preview";

    private const string Answers = """ "organisationType": "county", "region": "wales", "role": "digital", "channels": ["twitter"], "maturity": "engage", "customerService": "process", "teamSize": "1-2", "challenge": "skills" """;

    private static string Submission(string top = "", string respondent = "", string id = "\"ID\"", string answers = $"{{ {Answers} }}") =>
        $$"""{ "submissionId": {{id}}, "answers": {{answers}}, "respondent": { "wantsReport": false {{respondent}} } {{top}} }""";

    private static string Definition(string top = "", string title = "\"T\"", string option = "") =>
        $$"""
        { "id": "SURVEY", "title": {{title}}, "status": "draft",
          "privacy": { "controller": "Example Research Ltd", "contact": "mailto:privacy@example.org" },
          "questions": [ { "id": "q1", "text": "Pick", "type": "single",
                           "options": [ { "id": "a", "text": "A" }, { "id": "b", "text": "B" {{option}} } ] } ] {{top}} }
        """;

    private static string Report(string top = "", string title = "\"T\"") =>
        $$"""{ "title": {{title}}, "summary": "S", "publishAt": "2026-03-01T09:00:00Z" {{top}} }""";

    public static TheoryData<string, string, string, string> Table => new()
    {
        // case                                 route    body                                                          the one path
        { "unknown property",                   Submit,  Submission(top: """, "zzz": 1"""),                          "zzz" },
        { "unknown property",                   Define,  Definition(top: """, "zzz": 1"""),                          "zzz" },
        { "unknown property",                   Publish, Report(top: """, "zzz": 1"""),                              "zzz" },
        { "unknown property",                   Preview, """{ "summary": "S", "zzz": 1 }""",                         "zzz" },
        { "unknown property, deep",             Submit,  Submission(respondent: """, "zzz": 1"""),                   "respondent.zzz" },
        { "unknown property, deep",             Define,  Definition(option: """, "zzz": 1"""),                       "questions[0].options[1].zzz" },
        { "repeated property",                  Submit,  Submission(top: """, "lang": "en", "lang": "en" """),       "lang" },
        { "repeated property",                  Define,  Definition(top: """, "title": "T" """),                     "title" },
        { "repeated property",                  Publish, Report(top: """, "title": "T" """),                         "title" },
        { "repeated property",                  Preview, """{ "summary": "S", "summary": "S" }""",                   "summary" },
        { "repeated property, deep",            Submit,  Submission(respondent: """, "wantsReport": false"""),       "respondent.wantsReport" },
        { "repeated property, deep",            Define,  Definition(option: """, "text": "B" """),                   "questions[0].options[1].text" },
        { "repeated language",                  Define,  Definition(title: """{ "en": "T", "en": "T" }"""),          "title.en" },
        { "repeated language",                  Publish, Report(title: """{ "en": "T", "en": "T" }"""),              "title.en" },
        { "wrong type",                         Submit,  Submission(id: "5"),                                        "submissionId" },
        { "wrong type",                         Define,  Definition(title: "5"),                                     "title" },
        { "wrong type",                         Publish, Report(title: "5"),                                         "title" },
        { "wrong type",                         Preview, """{ "summary": 5 }""",                                     "summary" },
        { "wrong type, deep",                   Submit,  Submission(answers: $"{{ {Answers.Replace("[\"twitter\"]", "[\"twitter\", 5]", StringComparison.Ordinal)} }}"), "answers.channels[1]" },
        { "wrong type, deep",                   Define,  Definition(option: """, "exclusive": "yes" """),            "questions[0].options[1].exclusive" },
        { "wrong type in a text",               Define,  Definition(title: """{ "en": 5 }"""),                       "title.en" },
        { "wrong type in a text",               Publish, Report(title: """{ "en": 5 }"""),                           "title.en" },
        { "null where not allowed",             Submit,  Submission(answers: "null"),                                "answers" },
        { "null where not allowed",             Define,  Definition(title: "null"),                                  "title" },
        { "null where not allowed",             Publish, Report(title: "null"),                                      "title" },
        { "language not supported",             Define,  Definition(title: """{ "en": "T", "fr": "T" }"""),          "title.fr" },
        { "language not supported",             Publish, Report(title: """{ "en": "T", "fr": "T" }"""),              "title.fr" },
        { "not a text",                         Define,  Definition(title: """["T"]"""),                             "title" },
        { "not a text",                         Publish, Report(title: """["T"]"""),                                 "title" },
        { "not an object",                      Submit,  "[]",                                                       "" },
        { "not an object",                      Define,  "\"T\"",                                                    "" },
        { "not an object",                      Publish, "[]",                                                       "" },
        { "not an object",                      Preview, "[]",                                                       "" },
        { "not JSON",                           Submit,  """{ "answers": """,                                        "" },
        { "not JSON",                           Define,  """{ "id": """,                                             "" },
        { "not JSON",                           Publish, """{ "title": """,                                          "" },
        { "not JSON",                           Preview, """{ "summary": """,                                        "" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public async Task MalformedBody_Returns400ValidationProblem_AtExactlyThePathWhereTheFaultIs(string name, string route, string body, string path)
    {
        using var response = await SendAsync(route, body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name} ({route}): {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("urn:survey-backend:problem:validation", (string?)problem["type"]);
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.Select(e => e.Key).SequenceEqual([path]), $"{name} ({route}): expected only '{path}' in {errors.ToJsonString()}");
        Assert.NotEmpty(errors[path]!.AsArray());
    }

    private async Task<HttpResponseMessage> SendAsync(string route, string body)
    {
        var surveyId = "malformed-" + Guid.NewGuid().ToString("N")[..12];
        using var content = new StringContent(body
            .Replace("\"ID\"", $"\"{Guid.NewGuid()}\"", StringComparison.Ordinal)
            .Replace("\"SURVEY\"", $"\"{surveyId}\"", StringComparison.Ordinal));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        return route switch
        {
            Submit => await stack.Host.Client.PostAsync($"api/surveys/{RepoPaths.SampleSurveyId}/responses", content),
            Define => await stack.Host.Admin.PutAsync($"api/admin/surveys/{surveyId}", content),
            Publish => await stack.Host.Admin.PostAsync($"api/admin/surveys/{RepoPaths.SampleSurveyId}/reports", content),
            _ => await stack.Host.Admin.PostAsync("api/admin/summary-preview", content),
        };
    }
}
