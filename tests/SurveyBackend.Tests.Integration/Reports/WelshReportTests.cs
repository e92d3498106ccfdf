using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using SurveyBackend.Mailing;
using SurveyBackend.Privacy;
using SurveyBackend.Reports;
using SurveyBackend.Storage;

namespace SurveyBackend.Tests.Integration.Reports;

/// <summary>The report in Welsh over the local host: the publish body per language, the page and slides, and the email per recipient language at the loopback SendGrid.</summary>
[Collection(ReportsCollection.Name)]
public sealed class WelshReportTests(ReportsStack stack)
{
    private async Task<HttpResponseMessage> PublishAsync(string surveyId, object title, object summary) =>
        await stack.Host.Admin.PostAsJsonAsync($"api/admin/surveys/{surveyId}/reports",
            new { title, summary, publishAt = stack.Clock.GetUtcNow().AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssZ") });

    private async Task<string> PublishWelshAsync(string surveyId)
    {
        using var response = await PublishAsync(surveyId, new { en = "The report", cy = "Yr adroddiad" }, new { en = "Councils are **on the journey**.", cy = "Mae cynghorau **ar y daith**." });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return (string)JsonNode.Parse(body)!["reportId"]!;
    }

    [Fact]
    public async Task ReportPageAndSlides_InWelsh_ByLangOrAcceptLanguage_WithHreflangBothWays()
    {
        var survey = await stack.PutSurveyAsync("cy-page");
        var reportId = await PublishWelshAsync(survey.Id);

        using var welsh = await stack.Host.Client.GetAsync($"api/reports/{reportId}?lang=cy");
        Assert.Equal(HttpStatusCode.OK, welsh.StatusCode);
        Assert.Equal(["cy"], welsh.Content.Headers.ContentLanguage);
        Assert.Contains("Accept-Language", welsh.Headers.Vary);
        var html = await welsh.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"cy\">", html);
        Assert.Contains("<h1>Yr adroddiad</h1>", html);
        Assert.Contains("<strong>ar y daith</strong>", html);
        Assert.Contains($"<link rel=\"alternate\" hreflang=\"en\" href=\"{reportId}?lang=en\">", html);
        Assert.Contains($"<a href=\"{reportId}?lang=en\" hreflang=\"en\" lang=\"en\">English</a>", html);
        Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(survey.In("cy").Questions[0].Text), html);
        Assert.DoesNotContain("What changed since the previous wave", html);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/reports/{reportId}");
        request.Headers.AcceptLanguage.ParseAdd("cy-GB, en;q=0.5");
        using var byHeader = await stack.Host.Client.SendAsync(request);
        Assert.Contains("<html lang=\"cy\">", await byHeader.Content.ReadAsStringAsync());

        var english = await stack.Host.Client.GetStringAsync($"api/reports/{reportId}?lang=en");
        Assert.Contains("<html lang=\"en\">", english);
        Assert.Contains("<h1>The report</h1>", english);
        Assert.Contains($"<link rel=\"alternate\" hreflang=\"cy\" href=\"{reportId}?lang=cy\">", english);
        Assert.Contains(">Cymraeg</a>", english);

        var slides = await stack.Host.Client.GetStringAsync($"api/reports/{reportId}/slides?lang=cy");
        Assert.Contains("<html lang=\"cy\">", slides);
        Assert.Contains("<title>Yr adroddiad (sleidiau)</title>", slides);
        Assert.Contains("<link rel=\"alternate\" hreflang=\"en\" href=\"slides?lang=en\">", slides);
    }

    [Fact]
    public async Task Publish_PlainStrings_GiveAnEnglishOnlyReport_AndWelshForHalfOrAnUndeclaredLanguageIsA400AtItsPath()
    {
        var survey = await stack.PutSurveyAsync("cy-plain");
        var plain = await stack.PublishAsync(survey.Id);
        var page = await stack.Host.Client.GetStringAsync($"api/reports/{plain}?lang=cy");
        Assert.Contains("<html lang=\"en\">", page);
        Assert.DoesNotContain("hreflang", page);

        using var half = await PublishAsync(survey.Id, new { en = "T", cy = "T cy" }, "S");
        Assert.Equal(HttpStatusCode.BadRequest, half.StatusCode);
        Assert.NotNull(JsonNode.Parse(await half.Content.ReadAsStringAsync())!["errors"]!["summary.cy"]);

        var englishOnly = await stack.PutSurveyAsync("en-only", edit: json =>
        {
            json.Remove("languages");
            EnglishOnly(json);
        });
        using var undeclared = await PublishAsync(englishOnly.Id, new { en = "T", cy = "T cy" }, new { en = "S", cy = "S cy" });
        Assert.Equal(HttpStatusCode.BadRequest, undeclared.StatusCode);
        var errors = JsonNode.Parse(await undeclared.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Equal(["summary.cy", "title.cy"], errors.Select(e => e.Key).Order());
    }

    [Fact]
    public async Task Mailing_SendsEachRecipientTheEmailInTheirLanguage_AndBothWelshFirstWhenNoneWasGiven()
    {
        var survey = await stack.PutSurveyAsync("cy-mail");
        var keys = stack.Get<PrivacyKeys>();
        var table = new TableClient(stack.Azurite.ConnectionString, TableNames.Recipients);
        // Addresses of this survey alone: the suppression list is global, and other tests unsubscribe addresses.
        var (welshAddress, englishAddress, noneAddress) = ($"cymraeg.{survey.Id[^8..]}@example.gov.uk", $"english.{survey.Id[^8..]}@example.gov.uk", $"none.{survey.Id[^8..]}@example.gov.uk");
        var people = new Dictionary<string, string?> { [welshAddress] = "cy", [englishAddress] = "en", [noneAddress] = null };
        foreach (var (email, language) in people)
            await table.UpsertEntityAsync(new TableEntity(survey.Id, keys.ForRecipient(survey.Id, email)) { ["Email"] = email, ["Language"] = language });
        var reportId = await PublishWelshAsync(survey.Id);

        // Other tests' reports share the stack, and the host's own timer may hold the mailer lease for a moment: run
        // until this report's three are sent (each run resumes; none sends twice), within a bound.
        for (var attempt = 0; attempt < 40 && (int)(await stack.DeliveriesAsync(reportId))["sent"]! < 3; attempt++)
        {
            await stack.Get<ReportMailer>().RunAsync(CancellationToken.None);
            await Task.Delay(250);
        }

        var requests = stack.SendGrid.Accepted(reportId);
        Assert.True(requests.Count == 3, $"{requests.Count} accepted; deliveries {await stack.DeliveriesAsync(reportId)}; requests "
            + string.Join(" | ", stack.SendGrid.Requests.Where(r => r.ReportId == reportId).Select(r => $"{r.Status} {string.Join(",", r.Recipients)}")));
        var byRecipient = requests.ToDictionary(r => r.Recipients.Single());
        string Html(SurveyBackend.Testing.FakeSendGridServer.RecordedRequest r) => r.Json["content"]!.AsArray().Single(c => (string)c!["type"]! == "text/html")!["value"]!.ToString();

        var welsh = byRecipient[welshAddress];
        Assert.Equal("Yr adroddiad", (string)welsh.Json["subject"]!);
        Assert.Contains("<html lang=\"cy\">", Html(welsh));
        Assert.Contains("Diolch am gymryd rhan", Html(welsh));
        Assert.DoesNotContain("Thank you for taking part", Html(welsh));
        Assert.EndsWith("&lang=cy", (string)welsh.Personalizations[0]["substitutions"]![ReportEmailRenderer.UnsubscribePlaceholder]!);

        var english = byRecipient[englishAddress];
        Assert.Equal("The report", (string)english.Json["subject"]!);
        Assert.Contains("<html lang=\"en\">", Html(english));
        Assert.DoesNotContain("Diolch am gymryd rhan", Html(english));

        var both = byRecipient[noneAddress];
        Assert.Equal("Yr adroddiad / The report", (string)both.Json["subject"]!);
        Assert.True(Html(both).IndexOf("Diolch am gymryd rhan", StringComparison.Ordinal) < Html(both).IndexOf("Thank you for taking part", StringComparison.Ordinal));
    }

    /// <summary>Every text object of the sample ({"en": …, "cy": …}) as its English string: the survey in English only.</summary>
    private static void EnglishOnly(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (value is JsonObject { Count: 2 } text && text["en"] is JsonValue en && text["cy"] is JsonValue) obj[name] = en.GetValue<string>();
                    else if (value is not null) EnglishOnly(value);
                }
                break;
            case JsonArray array:
                foreach (var item in array) if (item is not null) EnglishOnly(item);
                break;
        }
    }
}
