using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using SurveyBackend.Anonymity;
using SurveyBackend.Reports;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using SurveyBackend.Testing;
using SurveyBackend.Tests.Integration.Reports;
using SurveyBackend.Privacy;

namespace SurveyBackend.Tests.Integration.Mailing;

/// <summary>Its own host: the default provider (the outbox) and a timer that fires every two seconds, as the start command runs it.</summary>
public sealed class MailingTimerTests
{
    [Fact]
    public async Task Timer_WithTheDefaultOutbox_MailsAPublishedReport_AsReadableEmlFiles_OncePerRecipient()
    {
        var outbox = Directory.CreateTempSubdirectory("outbox-timer-").FullName;
        await using var azurite = await AzuriteServer.StartNewAsync();
        await using var host = await LocalHostServer.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Email:OutboxPath"] = outbox,
            ["ReportEmailSchedule"] = "*/2 * * * * *",
        });

        var json = JsonNode.Parse(await File.ReadAllTextAsync(RepoPaths.SampleSurvey))!.AsObject();
        json["status"] = "closed";
        using (var put = await host.PutSurveyAsync(RepoPaths.SampleSurveyId, json.ToJsonString())) put.EnsureSuccessStatusCode();
        var survey = (await host.Services.GetRequiredService<SurveyCatalog>().FindAsync(RepoPaths.SampleSurveyId, CancellationToken.None))!.Definition;
        await SampleCounts.SeedAsync(host.Services.GetRequiredService<AggregateStore>(), survey, 50);

        var keys = host.Services.GetRequiredService<PrivacyKeys>();
        var recipients = host.Services.GetRequiredService<RecipientStore>();
        string[] emails = ["ann@example.gov.uk", "bob@example.gov.uk", "cat@example.gov.uk"];
        foreach (var email in emails) await recipients.AddAsync(survey.Id, keys.ForRecipient(survey.Id, email), email, language: null, CancellationToken.None);

        using var publish = await host.Admin.PostAsJsonAsync($"api/admin/surveys/{survey.Id}/reports",
            new { title = "Where councils are", summary = "Findings.", publishAt = DateTimeOffset.UtcNow.AddSeconds(-5).ToString("yyyy-MM-ddTHH:mm:ssZ") });
        var reportId = (string)JsonNode.Parse(await publish.Content.ReadAsStringAsync())!["reportId"]!;

        var status = await Eventually.GetAsync(async () => JsonNode.Parse(await host.Admin.GetStringAsync($"api/admin/reports/{reportId}/deliveries"))!,
            s => (string?)s["status"] == "complete", TimeSpan.FromSeconds(60), "the timer to mail the report");
        Assert.Equal(3, (int)status["sent"]!);

        var files = Directory.GetFiles(outbox, "*.eml");
        Assert.Equal(3, files.Length);
        var to = new List<string>();
        foreach (var file in files)
        {
            var message = await MimeMessage.LoadAsync(file);
            to.Add(message.To.Mailboxes.Single().Address);
            Assert.Equal("Where councils are", message.Subject);
            Assert.NotNull(message.Headers["List-Unsubscribe"]);
            Assert.Contains("Findings.", message.TextBody);
        }
        Assert.Equal(emails, to.Order());
    }
}
