using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SurveyBackend.Intake;
using SurveyBackend.Privacy;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Integration.Intake;

/// <summary>
/// Posts as another site's page would make a browser send them, and the no-JavaScript form's token, over real HTTP.
/// A refusal is a 403 (problem+json on the JSON route, a page on the form route) and stores nothing.
/// </summary>
[Collection(IntakeCollection.Name)]
public sealed partial class CrossSiteTests(IntakeFixture stack)
{
    private const string ResponsesPath = $"api/surveys/{RepoPaths.SampleSurveyId}/responses";
    private const string FormPath = $"api/surveys/{RepoPaths.SampleSurveyId}/form";

    [Fact]
    public async Task Json_FromAnotherSite_Is403CrossSite_AndStoresNothing()
    {
        var id = Guid.NewGuid().ToString();
        using var response = await PostJsonAsync(id, ("Origin", "https://evil.example"), ("Sec-Fetch-Site", "cross-site"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("urn:survey-backend:problem:cross-site", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["type"]);
        Assert.Null(await stack.FindKeyRowAsync(id));
    }

    [Fact]
    public async Task Json_FromAnAllowedOriginOnAnotherSite_IsAccepted()
    {
        var id = Guid.NewGuid().ToString();
        using var response = await PostJsonAsync(id, ("Origin", IntakeFixture.AllowedOrigin), ("Sec-Fetch-Site", "cross-site"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Form_WithTheTokenFromItsPage_IsThanked_AndStored()
    {
        var (id, token) = await OpenFormAsync();
        using var response = await PostFormAsync(id, token, ("Sec-Fetch-Site", "same-origin"), ("Origin", "null"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(id, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(await stack.FindKeyRowAsync(id));
    }

    [Fact]
    public async Task Form_WithoutAToken_OrWithAnotherPagesToken_Is403Page_AndStoresNothing()
    {
        var (_, othersToken) = await OpenFormAsync();
        foreach (var token in new string?[] { null, othersToken, "1999999999.forged" })
        {
            var id = Guid.NewGuid().ToString();
            using var response = await PostFormAsync(id, token);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
            Assert.Contains("Your answers were not sent", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Null(await stack.FindKeyRowAsync(id));
        }
    }

    [Fact]
    public async Task Form_FromAnotherSite_WithAGenuineToken_Is403Page_AndStoresNothing()
    {
        // A hostile page can fetch a token for itself; only the browser's word on where the post came from stops it.
        var (id, token) = await OpenFormAsync();
        using var response = await PostFormAsync(id, token, ("Sec-Fetch-Site", "cross-site"), ("Origin", "http://127.0.0.2:8080"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("another website", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await stack.FindKeyRowAsync(id));
    }

    [Fact]
    public async Task Form_WithAnExpiredToken_ComesBackWithTheAnswersAndAFreshToken_ThatSends()
    {
        var id = Guid.NewGuid().ToString();
        var dayOld = new FormTokens(stack.Host.Services.GetRequiredService<IOptions<PrivacyOptions>>(), new ShiftedClock(TimeSpan.FromHours(-25)))
            .Create(RepoPaths.SampleSurveyId, id);

        using var expired = await PostFormAsync(id, dayOld);
        var page = await expired.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Contains("open for more than a day", page, StringComparison.Ordinal);
        Assert.Matches("id=\"sv-q-maturity-engage\"[^>]*checked", page);
        Assert.Equal(id, Hidden(page, "submissionId"));
        Assert.Null(await stack.FindKeyRowAsync(id));

        var fresh = Hidden(page, FormTokens.FieldName);
        Assert.NotEqual(dayOld, fresh);
        using var again = await PostFormAsync(id, fresh);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.NotNull(await stack.FindKeyRowAsync(id));
    }

    private async Task<HttpResponseMessage> PostJsonAsync(string id, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ResponsesPath)
        {
            Content = new StringContent(SubmitResponseTests.Body(id), Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in headers) request.Headers.Add(name, value);
        return await stack.Host.Client.SendAsync(request);
    }

    private async Task<(string SubmissionId, string Token)> OpenFormAsync()
    {
        var page = await stack.Host.Client.GetStringAsync(FormPath);
        return (Hidden(page, "submissionId"), Hidden(page, FormTokens.FieldName));
    }

    private async Task<HttpResponseMessage> PostFormAsync(string id, string? token, params (string Name, string Value)[] headers)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("submissionId", id), new("answers.organisationType", "county"), new("answers.region", "wales"),
            new("answers.role", "digital"), new("answers.channels", "twitter"), new("answers.maturity", "engage"),
            new("answers.customerService", "process"), new("answers.teamSize", "1-2"), new("answers.challenge", "skills"),
        };
        if (token is not null) fields.Add(new(FormTokens.FieldName, token));
        using var request = new HttpRequestMessage(HttpMethod.Post, FormPath) { Content = new FormUrlEncodedContent(fields) };
        foreach (var (name, value) in headers) request.Headers.Add(name, value);
        return await stack.Host.Client.SendAsync(request);
    }

    private static string Hidden(string page, string name) =>
        WebUtility.HtmlDecode(HiddenInput().Matches(page).Single(m => m.Groups["name"].Value == name).Groups["value"].Value);

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenInput();

    private sealed class ShiftedClock(TimeSpan by) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + by;
    }
}
