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
        Assert.All(requests, AssertTrackingOff);
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
    public async Task Mailing_On400NamingOneRecipient_FailsOnlyThatOne_AndSendsTheRestOfItsBatchAgain()
    {
        var survey = await stack.PutSurveyAsync("fourhundred");
        await stack.AddRecipientsAsync(survey.Id, 1500);
        var reportId = await stack.PublishAsync(survey.Id);
        stack.SendGrid.Enqueue(new ScriptedResponse(400, Body: """{"errors":[{"message":"The to email person00001@example.gov.uk is not valid.","field":"personalizations.0.to","help":null}]}"""));

        await Mailer.RunAsync(CancellationToken.None);

        var status = await stack.DeliveriesAsync(reportId);
        Assert.Equal(1, (int)status["failed"]!);
        Assert.Equal(1499, (int)status["sent"]!);
        Assert.Equal(0, (int)status["pending"]!);
        var reason = (string)status["failures"]![0]!["reason"]!;
        Assert.Contains("400", reason);
        Assert.DoesNotContain("@", reason);
        var forReport = stack.SendGrid.Requests.Where(r => r.ReportId == reportId).ToList();
        Assert.Equal([400, 202, 202], forReport.Select(r => r.Status));
        // The refused one is the first of the refused request, and the re-send holds everyone else of it.
        var refused = forReport[0].Recipients[0];
        Assert.Equal(forReport[0].Recipients.Skip(1), forReport[1].Recipients);
        Assert.DoesNotContain(refused, stack.SendGrid.Delivered(reportId));
        Assert.All(forReport, AssertTrackingOff);
        // Failed is final: another run does not send it again.
        await Mailer.RunAsync(CancellationToken.None);
        Assert.Equal(3, stack.SendGrid.Requests.Count(r => r.ReportId == reportId));
    }

    [Fact]
    public async Task Mailing_On400NamingTheMessageItself_FailsThatBatch_WithoutSplittingIt()
    {
        var survey = await stack.PutSurveyAsync("wholemessage");
        await stack.AddRecipientsAsync(survey.Id, 1500);
        var reportId = await stack.PublishAsync(survey.Id);
        stack.SendGrid.Enqueue(new ScriptedResponse(400, Body: """{"errors":[{"message":"The content value must be a string at least one character in length.","field":"content.0.value","help":null}]}"""));

        await Mailer.RunAsync(CancellationToken.None);

        var status = await stack.DeliveriesAsync(reportId);
        Assert.Equal(1000, (int)status["failed"]!);
        Assert.Equal(500, (int)status["sent"]!);
        Assert.Equal([400, 202], stack.SendGrid.Requests.Where(r => r.ReportId == reportId).Select(r => r.Status));
    }

    [Fact]
    public async Task Mailing_1000Recipients_OneBadAddressSendGridNames_AndOneItDoesNot_EveryOtherGetsExactlyOneMessage_WithinTheCallBound()
    {
        var survey = await stack.PutSurveyAsync("onebad");
        var emails = await stack.AddRecipientsAsync(survey.Id, 1000);
        var named = emails[137];
        var unnamed = emails[802];
        stack.SendGrid.Refuse(named);
        stack.SendGrid.Refuse(unnamed, named: false);
        var reportId = await stack.PublishAsync(survey.Id);

        var run = await Mailer.RunAsync(CancellationToken.None);

        // The bound: the first call is refused naming one address; the 999 left are refused naming nothing and split in
        // halves, each level sending both halves once (the good half is accepted, the bad one split again) down to one:
        // 1 + 1 + 2 × ⌈log2 999⌉ = 22 calls.
        var bound = 2 + 2 * (int)Math.Ceiling(Math.Log2(999));
        var requests = stack.SendGrid.Requests.Where(r => r.ReportId == reportId).ToList();
        Assert.InRange(requests.Count, 3, bound);
        Assert.Equal(run.Requests, requests.Count);
        var delivered = stack.SendGrid.Delivered(reportId);
        Assert.Equal(emails.Except([named, unnamed]).Order(), delivered.Order());
        Assert.All(requests, AssertTrackingOff);
        Assert.All(requests.Skip(1), r => Assert.DoesNotContain(named, r.Recipients));

        var status = await stack.DeliveriesAsync(reportId);
        Assert.Equal(998, (int)status["sent"]!);
        Assert.Equal(2, (int)status["failed"]!);
        Assert.Equal(0, (int)status["pending"]!);
        Assert.All(status["failures"]!.AsArray(), f => Assert.DoesNotContain("@", (string)f!["reason"]!));

        await Mailer.RunAsync(CancellationToken.None);
        Assert.Equal(requests.Count, stack.SendGrid.Requests.Count(r => r.ReportId == reportId));
    }

    [Fact]
    public async Task Mailing_CrashWhileSplittingARefusedBatch_MissesNoOne_AndDuplicatesAtMostOnePart()
    {
        var survey = await stack.PutSurveyAsync("splitcrash");
        var emails = await stack.AddRecipientsAsync(survey.Id, 1000);
        var bad = emails[500];
        stack.SendGrid.Refuse(bad, named: false);
        var reportId = await stack.PublishAsync(survey.Id);
        // The first call is refused, the second (a half) accepted: the crash comes after the third, before its mark.
        var crashing = ActivatorUtilities.CreateInstance<ReportMailer>(stack.Host.Services,
            ActivatorUtilities.CreateInstance<ReportBatches>(stack.Host.Services, new CrashAfterSend(stack.Get<IEmailSender>(), crashOnCall: 3)));

        await Assert.ThrowsAsync<IOException>(() => crashing.RunAsync(CancellationToken.None));
        await Mailer.RunAsync(CancellationToken.None);

        var delivered = stack.SendGrid.Delivered(reportId);
        Assert.Empty(emails.Except([bad]).Except(delivered));
        Assert.DoesNotContain(bad, delivered);
        var duplicates = delivered.Count - delivered.Distinct().Count();
        Assert.InRange(duplicates, 0, 500);
        var status = await stack.DeliveriesAsync(reportId);
        Assert.Equal(999, (int)status["sent"]!);
        Assert.Equal(1, (int)status["failed"]!);
        Assert.Equal(0, (int)status["pending"]!);
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

    /// <summary>SendGrid is told in every message to track nothing: no click redirects, no open pixel, no footer, no analytics.</summary>
    private static void AssertTrackingOff(RecordedRequest request)
    {
        var tracking = request.Json["tracking_settings"]!;
        Assert.False((bool)tracking["click_tracking"]!["enable"]!);
        Assert.False((bool)tracking["click_tracking"]!["enable_text"]!);
        Assert.False((bool)tracking["open_tracking"]!["enable"]!);
        Assert.False((bool)tracking["subscription_tracking"]!["enable"]!);
        Assert.False((bool)tracking["ganalytics"]!["enable"]!);
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
