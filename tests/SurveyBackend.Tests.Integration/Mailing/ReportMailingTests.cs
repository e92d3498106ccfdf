using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SurveyBackend.Mailing;
using SurveyBackend.Reports;
using SurveyBackend.Tests.Integration.Reports;
using static SurveyBackend.Testing.FakeSendGridServer;

namespace SurveyBackend.Tests.Integration.Mailing;

/// <summary>The mailer against a loopback SendGrid over real HTTP, with real Azurite.</summary>
[Collection(ReportsCollection.Name)]
public sealed class ReportMailingTests(ReportsStack stack)
{
    private ReportMailer Mailer => stack.Get<ReportMailer>();

    [Fact]
    public async Task Mailing_2500Recipients_SendsThreeRequests_OnePersonalizationEach_WithValidLinksAndHeaders_NoAddressTwice()
    {
        var survey = await stack.PutSurveyAsync("bulk");
        var emails = await stack.AddRecipientsAsync(survey.Id, 2500);
        var reportId = await stack.PublishAsync(survey.Id);

        var run = await Mailer.RunAsync(CancellationToken.None);

        var requests = stack.SendGrid.Accepted(reportId);
        Assert.Equal(3, requests.Count);
        Assert.Equal([1000, 1000, 500], requests.Select(r => r.Personalizations.Count));
        Assert.All(requests, r => Assert.Equal("/v3/mail/send", r.Path));
        Assert.All(requests, r => Assert.Equal("Bearer SG.test-key", r.Authorization));
        var sent = requests.SelectMany(r => r.Recipients).ToList();
        Assert.Equal(sent.Count, sent.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(emails.Order(), sent.Order());

        var tokens = stack.Get<UnsubscribeTokens>();
        foreach (var personalization in requests.SelectMany(r => r.Personalizations))
        {
            Assert.Single(personalization["to"]!.AsArray());
            var email = (string)personalization["to"]![0]!["email"]!;
            var link = (string)personalization["substitutions"]![ReportEmailRenderer.UnsubscribePlaceholder]!;
            Assert.Equal($"<{link}>", (string)personalization["headers"]!["List-Unsubscribe"]!);
            Assert.Equal("List-Unsubscribe=One-Click", (string)personalization["headers"]!["List-Unsubscribe-Post"]!);
            Assert.StartsWith("https://reports.example.org/api/unsubscribe?token=", link);
            Assert.True(tokens.TryRead(link[(link.IndexOf('=') + 1)..], out var key));
            Assert.Equal(tokens.AddressKey(email), key);
        }
        var first = requests[0].Json;
        Assert.Equal("The report", (string)first["subject"]!);
        var html = first["content"]!.AsArray().Single(c => (string)c!["type"]! == "text/html")!["value"]!.ToString();
        Assert.Contains(ReportEmailRenderer.UnsubscribePlaceholder, html);
        Assert.Contains("background:#1f4e99", html);
        // What SendGrid was sent fits Gmail unclipped: a few bars and a link to the page, which draws the comparisons.
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(html) <= ReportEmailRenderer.EmailHtmlBudget, $"{System.Text.Encoding.UTF8.GetByteCount(html):N0} bytes of HTML");
        Assert.Contains("<a class=\"full-report\" href=\"https://reports.example.org/", html);
        Assert.Contains("<ul class=\"key-figures\"", html);
        Assert.DoesNotContain("<svg", html);
        Assert.DoesNotContain("<script", html);
        Assert.Contains(first["content"]!.AsArray(), c => (string)c!["type"]! == "text/plain");

        // One link actually unsubscribes, over HTTP.
        var oneLink = (string)requests[0].Personalizations[0]["substitutions"]![ReportEmailRenderer.UnsubscribePlaceholder]!;
        using var unsubscribe = await stack.Host.Client.GetAsync("api/unsubscribe" + oneLink[oneLink.IndexOf('?')..]);
        Assert.Equal(HttpStatusCode.OK, unsubscribe.StatusCode);

        Assert.Equal(2500, run.Sent);
        var status = await stack.DeliveriesAsync(reportId);
        Assert.Equal(2500, (int)status["recipients"]!);
        Assert.Equal(2500, (int)status["sent"]!);
        Assert.Equal(0, (int)status["pending"]!);
        Assert.Equal("complete", (string)status["status"]!);

        // A second run (a timer firing again) sends nothing more.
        await Mailer.RunAsync(CancellationToken.None);
        Assert.Equal(3, stack.SendGrid.Accepted(reportId).Count);
    }

    [Fact]
    public async Task Mailing_On429_WaitsRetryAfter_ThenSucceeds()
    {
        var survey = await stack.PutSurveyAsync("rate");
        await stack.AddRecipientsAsync(survey.Id, 10);
        var reportId = await stack.PublishAsync(survey.Id);
        stack.SendGrid.Enqueue(new ScriptedResponse(429, new Dictionary<string, string> { ["Retry-After"] = "1" }));

        var started = Stopwatch.StartNew();
        var run = await Mailer.RunAsync(CancellationToken.None);

        var forReport = stack.SendGrid.Requests.Where(r => r.ReportId == reportId).ToList();
        Assert.Equal([429, 202], forReport.Select(r => r.Status));
        Assert.True(forReport[1].At - forReport[0].At >= TimeSpan.FromSeconds(0.9), "waited as Retry-After said");
        Assert.Equal(10, run.Sent);
        Assert.Equal(10, (int)(await stack.DeliveriesAsync(reportId))["sent"]!);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Mailing_On429BeyondTheWaitLimit_StopsWithRecipientsPending_AndTheNextRunResumes()
    {
        var survey = await stack.PutSurveyAsync("reset");
        await stack.AddRecipientsAsync(survey.Id, 10);
        var reportId = await stack.PublishAsync(survey.Id);
        var reset = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        stack.SendGrid.Enqueue(new ScriptedResponse(429, new Dictionary<string, string> { ["X-RateLimit-Reset"] = reset }));

        var first = await Mailer.RunAsync(CancellationToken.None);
        Assert.True(first.Stopped);
        var paused = await stack.DeliveriesAsync(reportId);
        Assert.Equal(10, (int)paused["pending"]!);
        Assert.Equal("mailing", (string)paused["status"]!);

        await Mailer.RunAsync(CancellationToken.None);
        Assert.Equal(10, (int)(await stack.DeliveriesAsync(reportId))["sent"]!);
        Assert.Single(stack.SendGrid.Accepted(reportId));
    }

    [Fact]
    public async Task Mailing_On500_RetriesTheBatch_ThenSucceeds()
    {
        var survey = await stack.PutSurveyAsync("fivehundred");
        await stack.AddRecipientsAsync(survey.Id, 10);
        var reportId = await stack.PublishAsync(survey.Id);
        stack.SendGrid.Enqueue(new ScriptedResponse(500), new ScriptedResponse(503));

        await Mailer.RunAsync(CancellationToken.None);

        Assert.Equal([500, 503, 202], stack.SendGrid.Requests.Where(r => r.ReportId == reportId).Select(r => r.Status));
        var status = await stack.DeliveriesAsync(reportId);
        Assert.Equal(10, (int)status["sent"]!);
        Assert.Equal(0, (int)status["failed"]!);
    }

    [Fact]
    public async Task Mailing_OnATimeout_RetriesLater_WithinTheRunBudget()
    {
        var survey = await stack.PutSurveyAsync("slow");
        await stack.AddRecipientsAsync(survey.Id, 5);
        var reportId = await stack.PublishAsync(survey.Id);
        // SendGrid:Timeout is 3 s in this stack.
        stack.SendGrid.Enqueue(new ScriptedResponse(202, Delay: TimeSpan.FromSeconds(5)));

        await Mailer.RunAsync(CancellationToken.None);

        Assert.Equal(2, stack.SendGrid.Requests.Count(r => r.ReportId == reportId));
        Assert.Equal(5, (int)(await stack.DeliveriesAsync(reportId))["sent"]!);
    }

    [Fact]
    public async Task Mailing_On400ForABatch_MarksThoseFailedWithTheReason_AndGoesOn()
    {
        var survey = await stack.PutSurveyAsync("fourhundred");
        await stack.AddRecipientsAsync(survey.Id, 1500);
        var reportId = await stack.PublishAsync(survey.Id);
        stack.SendGrid.Enqueue(new ScriptedResponse(400, Body: """{"errors":[{"message":"The to email person00001@example.gov.uk is not valid.","field":"personalizations.0.to"}]}"""));

        await Mailer.RunAsync(CancellationToken.None);

        var status = await stack.DeliveriesAsync(reportId);
        Assert.Equal(1000, (int)status["failed"]!);
        Assert.Equal(500, (int)status["sent"]!);
        Assert.Equal(0, (int)status["pending"]!);
        var reason = (string)status["failures"]![0]!["reason"]!;
        Assert.Contains("400", reason);
        Assert.DoesNotContain("@", reason);
        // Failed is final: another run does not send those again.
        await Mailer.RunAsync(CancellationToken.None);
        Assert.Single(stack.SendGrid.Accepted(reportId));
    }

    [Fact]
    public async Task Mailing_CrashAfterASendBeforeItsStateIsSaved_MissesNoOne_AndDuplicatesAtMostOneBatch()
    {
        var survey = await stack.PutSurveyAsync("crash");
        var emails = await stack.AddRecipientsAsync(survey.Id, 2500);
        var reportId = await stack.PublishAsync(survey.Id);
        var crashing = ActivatorUtilities.CreateInstance<ReportMailer>(stack.Host.Services,
            ActivatorUtilities.CreateInstance<ReportBatches>(stack.Host.Services, new CrashAfterSend(stack.Get<IEmailSender>(), crashOnCall: 2)));

        await Assert.ThrowsAsync<IOException>(() => crashing.RunAsync(CancellationToken.None));
        var afterCrash = await stack.DeliveriesAsync(reportId);
        Assert.Equal(1000, (int)afterCrash["sent"]!);
        Assert.Equal(1500, (int)afterCrash["pending"]!);

        await Mailer.RunAsync(CancellationToken.None);

        var sent = stack.SendGrid.Accepted(reportId).SelectMany(r => r.Recipients).ToList();
        Assert.Empty(emails.Except(sent));
        var duplicates = sent.Count - sent.Distinct().Count();
        Assert.InRange(duplicates, 1, 1000);
        var status = await stack.DeliveriesAsync(reportId);
        Assert.Equal(2500, (int)status["sent"]!);
        Assert.Equal(0, (int)status["pending"]!);
    }

    [Fact]
    public async Task Mailing_TwoRunsAtOnce_OnlyOneWorks_AndNoOneGetsItTwice()
    {
        var survey = await stack.PutSurveyAsync("twice");
        await stack.AddRecipientsAsync(survey.Id, 1200);
        var reportId = await stack.PublishAsync(survey.Id);
        var other = ActivatorUtilities.CreateInstance<ReportMailer>(stack.Host.Services);

        var runs = await Task.WhenAll(Mailer.RunAsync(CancellationToken.None), other.RunAsync(CancellationToken.None));

        Assert.Single(runs, r => r.Skipped);
        var sent = stack.SendGrid.Accepted(reportId).SelectMany(r => r.Recipients).ToList();
        Assert.Equal(1200, sent.Count);
        Assert.Equal(1200, sent.Distinct().Count());
    }

    [Fact]
    public async Task Mailing_SkipsUnsubscribedAddresses_InEveryMailing()
    {
        var survey = await stack.PutSurveyAsync("unsub");
        var emails = await stack.AddRecipientsAsync(survey.Id, 6);
        var tokens = stack.Get<UnsubscribeTokens>();
        foreach (var email in emails.Take(2))
        {
            using var response = await stack.Host.Client.PostAsync($"api/unsubscribe?token={tokens.Create(email.ToUpperInvariant())}",
                new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var reportId = await stack.PublishAsync(survey.Id);

        await Mailer.RunAsync(CancellationToken.None);

        var sent = stack.SendGrid.Accepted(reportId).SelectMany(r => r.Recipients).ToList();
        Assert.Equal(emails.Skip(2).Order(), sent.Order());
        var status = await stack.DeliveriesAsync(reportId);
        Assert.Equal(6, (int)status["recipients"]!);
        Assert.Equal(4, (int)status["sent"]!);
        Assert.Equal(2, (int)status["unsubscribed"]!);
    }

    [Fact]
    public async Task Mailing_BeforePublishAt_SendsNothing_AndDeliveriesSayScheduled()
    {
        var survey = await stack.PutSurveyAsync("early");
        await stack.AddRecipientsAsync(survey.Id, 3);
        var reportId = await stack.PublishAsync(survey.Id, publishAt: stack.Clock.GetUtcNow().AddDays(1));

        await Mailer.RunAsync(CancellationToken.None);

        Assert.DoesNotContain(stack.SendGrid.Requests, r => r.ReportId == reportId);
        var status = await stack.DeliveriesAsync(reportId);
        Assert.Equal("scheduled", (string)status["status"]!);
        Assert.Equal(3, (int)status["pending"]!);
    }

    [Fact]
    public async Task Retention_DeletesRecipientAddresses_RetentionDaysAfterTheMailingCompletes()
    {
        var survey = await stack.PutSurveyAsync("retain");
        await stack.AddRecipientsAsync(survey.Id, 4);
        var reportId = await stack.PublishAsync(survey.Id);
        var recipients = stack.Get<SurveyBackend.Storage.RecipientStore>();

        await Mailer.RunAsync(CancellationToken.None);
        Assert.Equal(4, await recipients.ListAsync(survey.Id, CancellationToken.None).CountAsync());

        stack.Clock.Offset = TimeSpan.FromDays(29);
        try
        {
            await Mailer.RunAsync(CancellationToken.None);
            Assert.Equal(4, await recipients.ListAsync(survey.Id, CancellationToken.None).CountAsync());

            stack.Clock.Offset = TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1);
            await Mailer.RunAsync(CancellationToken.None);
            Assert.Equal(0, await recipients.ListAsync(survey.Id, CancellationToken.None).CountAsync());
            var status = await stack.DeliveriesAsync(reportId);
            Assert.True((bool)status["recipientsPurged"]!);
            Assert.Equal(4, (int)status["sent"]!);
        }
        finally
        {
            stack.Clock.Offset = TimeSpan.Zero;
        }
    }

    /// <summary>Sends, then dies before the mailer can record the send: the crash the exactly-once design must survive.</summary>
    private sealed class CrashAfterSend(IEmailSender inner, int crashOnCall) : IEmailSender
    {
        private int _calls;

        public async Task<SendResult> SendAsync(EmailBatch batch, CancellationToken cancellationToken)
        {
            var result = await inner.SendAsync(batch, cancellationToken);
            if (Interlocked.Increment(ref _calls) == crashOnCall) throw new IOException("Simulated crash after the send, before its state is saved.");
            return result;
        }
    }
}
