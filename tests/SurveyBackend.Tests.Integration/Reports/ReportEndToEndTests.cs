using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SurveyBackend.Storage;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Integration.Reports;

/// <summary>From real submissions to the mailed report: intake, anonymiser, recipients, aggregation, publish, page, mailer.</summary>
[Collection(ReportsCollection.Name)]
public sealed class ReportEndToEndTests(ReportsStack stack)
{
    [Fact]
    public async Task RealSubmissions_ArePublishedCountedAndMailed_ToThoseWhoAskedOnly()
    {
        var survey = await stack.PutSurveyAsync("e2e", status: "open", respondents: null);
        var asked = new List<string>();
        // Ten, split five and five: a release must show some figure (ReleaseRules), and five is the threshold.
        for (var i = 0; i < 10; i++)
        {
            var email = $"respondent{i}@example.gov.uk";
            var wantsReport = i < 5;
            if (wantsReport) asked.Add(email);
            using var response = await stack.Host.Client.PostAsJsonAsync($"api/surveys/{survey.Id}/responses", new
            {
                submissionId = Guid.NewGuid(),
                answers = survey.Questions.Where(q => q.Required).ToDictionary(q => q.Id, q => q.Type == SurveyBackend.Surveys.QuestionType.Single
                    ? (object)q.Options[i % 2].Id : new[] { q.Options[i % 2].Id }),
                respondent = new { email, name = "Name", organisation = "Org", wantsReport, consent = true },
                website = "",
            });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        // Five addresses never make a batch of ten: they wait, sealed, for the mailing, which writes them all at once.
        var pool = stack.Get<PendingRecipientStore>();
        await Eventually.TrueAsync(async () => (await pool.ReadStateAsync(survey.Id, CancellationToken.None)).Waiting == 5,
            TimeSpan.FromSeconds(60), "the five addresses to wait in the pool");
        await Eventually.TrueAsync(async () => (int?)JsonNode.Parse(await stack.Host.Admin.GetStringAsync($"api/admin/surveys/{survey.Id}/results"))!["respondents"] == 10,
            TimeSpan.FromSeconds(60), "the ten responses to be counted");
        Assert.Empty(await stack.Get<RecipientStore>().ListAsync(survey.Id, CancellationToken.None).ToListAsync());

        // Closed after the responses, so the mailing can complete.
        var closed = JsonNode.Parse(await File.ReadAllTextAsync(RepoPaths.SampleSurvey))!.AsObject();
        closed["id"] = survey.Id;
        closed["status"] = "closed";
        using (var put = await stack.Host.PutSurveyAsync(survey.Id, closed.ToJsonString())) put.EnsureSuccessStatusCode();

        var reportId = await stack.PublishAsync(survey.Id, title: "End to end");
        var page = await stack.Host.Client.GetStringAsync($"api/reports/{reportId}");
        Assert.Contains("Based on 10 responses", page);
        Assert.Contains("Release 1, made ", page);
        // Options nobody chose are hidden (a shown 0 tells about the others), and read like any hidden figure.
        Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(SurveyBackend.Display.DisplayText.Hidden) + "</td>", page);
        Assert.DoesNotContain("fewer than", page, StringComparison.OrdinalIgnoreCase);

        await stack.Get<SurveyBackend.Mailing.ReportMailer>().RunAsync(CancellationToken.None);

        var sent = stack.SendGrid.Accepted(reportId).SelectMany(r => r.Recipients).Order().ToList();
        Assert.Equal(asked, sent);
        var status = await stack.DeliveriesAsync(reportId);
        Assert.Equal(5, (int)status["sent"]!);
        Assert.Equal("complete", (string)status["status"]!);
    }
}
