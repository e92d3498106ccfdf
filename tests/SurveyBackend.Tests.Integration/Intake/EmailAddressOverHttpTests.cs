using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SurveyBackend.Languages;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Integration.Intake;

/// <summary>
/// Addresses that are not really addresses (issue #26 §4), refused as a respondent meets them: a 400 at
/// respondent.email in their language, on the JSON route and on the form's own post with JavaScript off, nothing stored.
/// </summary>
[Collection(IntakeCollection.Name)]
public sealed partial class EmailAddressOverHttpTests(IntakeFixture stack)
{
    private static readonly (string Name, string Value)[] Answers =
    [
        ("organisationType", "county"), ("region", "wales"), ("role", "digital"), ("channels", "twitter"),
        ("maturity", "engage"), ("customerService", "process"), ("teamSize", "1-2"), ("challenge", "skills"),
    ];

    public static TheoryData<string, string> Refused => new()
    {
        { "jo\u202Egro.elpmaxe@example.org", "error.emailCharacters" },
        { "jo\u200B@example.org", "error.emailCharacters" },
        { "jo@example.c", "error.emailInvalid" },
        { new string('j', 64) + "@" + string.Join('.', Enumerable.Repeat(new string('d', 62), 3)) + ".org", "error.emailTooLong" },
    };

    private static string Expected(string key, string language) =>
        key == "error.emailTooLong" ? UiText.For(language).Format(key, ("max", 254)) : UiText.For(language)[key];

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task TheJsonRoute_RefusesIt_AtRespondentEmail_InTheRespondentsLanguage_AndStoresNothing(string email, string key)
    {
        foreach (var language in new[] { UiText.English, UiText.Welsh })
        {
            var id = Guid.NewGuid().ToString();
            var body = new JsonObject
            {
                ["submissionId"] = id, ["lang"] = language,
                ["answers"] = new JsonObject(Answers.Select(a => KeyValuePair.Create(a.Name, (JsonNode?)(a.Name == "channels" ? new JsonArray(a.Value) : JsonValue.Create(a.Value))))),
                ["respondent"] = new JsonObject { ["email"] = email, ["wantsReport"] = true, ["consent"] = true },
            };
            using var response = await stack.PostAsync(body.ToJsonString());

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
            Assert.Equal(["respondent.email"], errors.Select(e => e.Key));
            Assert.Equal(Expected(key, language), (string?)errors["respondent.email"]![0]);
            Assert.Null(await stack.FindKeyRowAsync(id));
        }
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task TheFormsOwnPost_RefusesIt_AtTheEmailField_InThePagesLanguage_AndStoresNothing(string email, string key)
    {
        foreach (var language in new[] { UiText.English, UiText.Welsh })
        {
            // As a browser with JavaScript off: the page's own hidden fields, the answers, the address and the consent box.
            using var page = await stack.Host.Client.GetAsync($"api/surveys/{RepoPaths.SampleSurveyId}/form?lang={language}");
            page.EnsureSuccessStatusCode();
            var html = await page.Content.ReadAsStringAsync();
            var fields = HiddenInput().Matches(html).Select(m => KeyValuePair.Create(WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value))).ToList();
            var id = fields.Single(f => f.Key == "submissionId").Value;
            fields.AddRange(Answers.Select(a => KeyValuePair.Create("answers." + a.Name, a.Value)));
            fields.Add(KeyValuePair.Create("respondent.email", email));
            fields.Add(KeyValuePair.Create("respondent.wantsReport", "true"));

            using var post = new HttpRequestMessage(HttpMethod.Post, $"api/surveys/{RepoPaths.SampleSurveyId}/form") { Content = new FormUrlEncodedContent(fields) };
            post.Headers.Add("Origin", stack.Host.BaseAddress.GetLeftPart(UriPartial.Authority));
            using var response = await stack.Host.Client.SendAsync(post);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            var answer = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            Assert.Contains($"lang=\"{language}\"", answer);
            var fieldError = Regex.Match(answer, "<p class=\"sv-error\" id=\"sv-err-email\">(.*?)</p>", RegexOptions.Singleline);
            Assert.True(fieldError.Success, "no error at the email field");
            Assert.Contains(Expected(key, language), fieldError.Groups[1].Value);
            // The address comes back in the field as typed, so the respondent can see and fix it.
            Assert.Contains("value=\"" + email + "\"", answer);
            Assert.Null(await stack.FindKeyRowAsync(id));
        }
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenInput();
}
