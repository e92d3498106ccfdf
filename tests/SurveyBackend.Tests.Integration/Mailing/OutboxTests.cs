using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;
using SurveyBackend.Mailing;
using SurveyBackend.Testing;
using SurveyBackend.Tests.Integration.Reports;

namespace SurveyBackend.Tests.Integration.Mailing;

[Collection(ReportsCollection.Name)]
public sealed class OutboxTests(ReportsStack stack)
{
    [Fact]
    public async Task Outbox_TheLocalDefault_WritesOneReadableEmlPerRecipient_WithUnsubscribeHeaders()
    {
        // The start command's settings choose the outbox.
        var sample = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "local.settings.sample.json")))!;
        Assert.Equal("Outbox", (string)sample["Values"]!["Email__Provider"]!);

        var folder = Directory.CreateTempSubdirectory("outbox-test-").FullName;
        var outbox = ActivatorUtilities.CreateInstance<OutboxEmailSender>(stack.Host.Services,
            Options.Create(new EmailOptions { From = "reports@example.org", FromName = "Survey team", OutboxPath = folder }));
        var mailer = ActivatorUtilities.CreateInstance<ReportMailer>(stack.Host.Services,
            ActivatorUtilities.CreateInstance<ReportBatches>(stack.Host.Services, (IEmailSender)outbox));

        var survey = await stack.PutSurveyAsync("outbox");
        var emails = await stack.AddRecipientsAsync(survey.Id, 3);
        var reportId = await stack.PublishAsync(survey.Id, title: "Councils & social media");

        await mailer.RunAsync(CancellationToken.None);

        var files = Directory.GetFiles(folder, "*.eml");
        Assert.Equal(3, files.Length);
        Assert.All(files, f => Assert.DoesNotContain("@", Path.GetFileName(f)));
        var tokens = stack.Get<UnsubscribeTokens>();
        var seen = new List<string>();
        foreach (var file in files)
        {
            var message = await MimeMessage.LoadAsync(file);
            var to = message.To.Mailboxes.Single().Address;
            seen.Add(to);
            Assert.Equal("Councils & social media", message.Subject);
            Assert.Equal("reports@example.org", message.From.Mailboxes.Single().Address);
            var link = message.Headers["List-Unsubscribe"]!.Trim('<', '>');
            Assert.True(tokens.TryRead(link[(link.IndexOf('=') + 1)..], out var key));
            Assert.Equal(tokens.AddressKey(to), key);
            Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
            Assert.Contains(link, message.HtmlBody);
            Assert.Contains(link, message.TextBody);
            Assert.Contains("Councils &amp; social media", message.HtmlBody);
            Assert.Contains($"https://reports.example.org/api/reports/{reportId}", message.TextBody);
        }
        Assert.Equal(emails.Order(), seen.Order());
        Assert.Equal(3, (int)(await stack.DeliveriesAsync(reportId))["sent"]!);
    }
}
