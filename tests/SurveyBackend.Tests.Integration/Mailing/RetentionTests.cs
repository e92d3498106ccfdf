using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using SurveyBackend.Anonymity;
using SurveyBackend.Mailing;
using SurveyBackend.Privacy;
using SurveyBackend.Storage;
using SurveyBackend.Tests.Integration.Reports;

namespace SurveyBackend.Tests.Integration.Mailing;

/// <summary>
/// Retention as the words on the form say it, with the clock driven through each path: a survey's addresses (its
/// recipients, its waiting pool, its reports' delivery rows) are gone <c>Mailing:RetentionDays</c> (30) after its final
/// report has been mailed, and in any case <c>Mailing:MaxRetentionMonths</c> (12) after it closes, or after it opened
/// when it has no close date. Each report keeps one row of counts.
/// </summary>
[Collection(ReportsCollection.Name)]
public sealed class RetentionTests(ReportsStack stack)
{
    private ReportMailer Mailer => stack.Get<ReportMailer>();

    [Fact]
    public async Task PublishedAndMailed_FinalReport_AddressesAndDeliveriesGoRetentionDaysAfterItsMailing_AndItsCountsStay()
    {
        var survey = await stack.PutSurveyAsync("final");
        await stack.AddRecipientsAsync(survey.Id, 4);
        var reportId = await PublishAsync(survey.Id, final: true);
        await Mailer.RunAsync(CancellationToken.None);
        // An address still waiting after the mailing (a mailing writes what waits when it starts): retention takes it too.
        await AddToPoolAsync(survey.Id, "waiting.final@example.gov.uk");
        var mailed = await stack.DeliveriesAsync(reportId);
        Assert.Equal("complete", (string)mailed["status"]!);
        Assert.True((bool)mailed["final"]!);
        var completedAt = DateTimeOffset.Parse((string)mailed["completedAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(completedAt.AddDays(30), DateTimeOffset.Parse((string)mailed["addressesDeletedBy"]!, System.Globalization.CultureInfo.InvariantCulture));

        await RunAtAsync(completedAt.AddDays(30) - TimeSpan.FromMinutes(5));
        Assert.Equal(4, await RecipientCountAsync(survey.Id));
        Assert.Equal(1, await PoolCountAsync(survey.Id));
        Assert.Equal(4, await DeliveryRowCountAsync(reportId));

        await RunAtAsync(completedAt.AddDays(30) + TimeSpan.FromMinutes(1));
        Assert.Equal(0, await RecipientCountAsync(survey.Id));
        Assert.Equal(0, await PoolCountAsync(survey.Id));
        Assert.Equal(0, await DeliveryRowCountAsync(reportId));
        var kept = await stack.DeliveriesAsync(reportId);
        Assert.True((bool)kept["recipientsPurged"]!);
        Assert.Equal(4, (int)kept["recipients"]!);
        Assert.Equal(4, (int)kept["sent"]!);
        Assert.Equal("complete", (string)kept["status"]!);
    }

    [Fact]
    public async Task PublishedAndMailed_InterimReportOnly_AddressesStay_UntilTheOwnerMarksAReportFinal()
    {
        var survey = await stack.PutSurveyAsync("interim");
        await stack.AddRecipientsAsync(survey.Id, 3);
        var reportId = await PublishAsync(survey.Id, final: false);
        await Mailer.RunAsync(CancellationToken.None);
        Assert.False((bool)(await stack.DeliveriesAsync(reportId))["final"]!);

        // Interim reports come out months before the final one: their mailing deletes nothing.
        await RunAtAsync(stack.Clock.GetUtcNow().AddDays(90));
        Assert.Equal(3, await RecipientCountAsync(survey.Id));

        stack.Clock.Offset = TimeSpan.FromDays(90);
        try
        {
            using var marked = await stack.Host.Admin.PostAsync($"api/admin/reports/{reportId}/final", null);
            Assert.Equal(HttpStatusCode.OK, marked.StatusCode);
            var body = JsonNode.Parse(await marked.Content.ReadAsStringAsync())!;
            Assert.True((bool)body["final"]!);
            // Mailed 90 days ago, so its 30 days are over: the next run deletes the addresses.
            Assert.True(DateTimeOffset.Parse((string)body["addressesDeletedBy"]!, System.Globalization.CultureInfo.InvariantCulture) < stack.Clock.GetUtcNow());
            await Mailer.RunAsync(CancellationToken.None);
        }
        finally
        {
            stack.Clock.Offset = TimeSpan.Zero;
        }
        Assert.Equal(0, await RecipientCountAsync(survey.Id));
        Assert.Equal(3, (int)(await stack.DeliveriesAsync(reportId))["sent"]!);

        using var unknown = await stack.Host.Admin.PostAsync("api/admin/reports/no-such-report/final", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task NeverPublished_AddressesGo_MaxRetentionMonthsAfterTheSurveyCloses()
    {
        var closesAt = DateTimeOffset.Parse("2026-06-30T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var survey = await stack.PutSurveyAsync("unpublished", edit: json =>
        {
            json["opensAt"] = "2026-01-01T00:00:00Z";
            json["closesAt"] = closesAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        });
        await stack.AddRecipientsAsync(survey.Id, 3);
        await AddToPoolAsync(survey.Id, "waiting.unpublished@example.gov.uk");
        await AddUnreadableToPoolAsync(survey.Id);

        await RunAtAsync(closesAt.AddMonths(12) - TimeSpan.FromMinutes(5));
        Assert.Equal(3, await RecipientCountAsync(survey.Id));
        Assert.Equal(2, await PoolCountAsync(survey.Id));

        await RunAtAsync(closesAt.AddMonths(12) + TimeSpan.FromMinutes(1));
        Assert.Equal(0, await RecipientCountAsync(survey.Id));
        Assert.Equal(0, await PoolCountAsync(survey.Id));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task NeverCloses_AddressesGo_MaxRetentionMonthsAfterItOpened_AndSoDoesEveryLaterOne(bool withOpenDate)
    {
        var now = stack.Clock.GetUtcNow();
        var survey = await stack.PutSurveyAsync(withOpenDate ? "neverclosesdated" : "nevercloses", status: "open", edit: json =>
        {
            json.Remove("closesAt");
            if (withOpenDate) json["opensAt"] = now.AddDays(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            else json.Remove("opensAt");
        });
        await stack.AddRecipientsAsync(survey.Id, 3);
        var reportId = await PublishAsync(survey.Id, final: false);
        // The first run mails the report and, for a survey with no dates, notes when it was first seen open.
        await Mailer.RunAsync(CancellationToken.None);
        Assert.Equal("mailing", (string)(await stack.DeliveriesAsync(reportId))["status"]!);
        var opened = withOpenDate ? now.AddDays(-1) : now;

        await RunAtAsync(opened.AddMonths(12) - TimeSpan.FromMinutes(5));
        Assert.Equal(3, await RecipientCountAsync(survey.Id));

        await RunAtAsync(opened.AddMonths(12) + TimeSpan.FromMinutes(5));
        Assert.Equal(0, await RecipientCountAsync(survey.Id));
        Assert.Equal(0, await DeliveryRowCountAsync(reportId));
        var kept = await stack.DeliveriesAsync(reportId);
        Assert.Equal(3, (int)kept["sent"]!);
        Assert.True((bool)kept["recipientsPurged"]!);

        // Still open: an address that arrives now is past the period already, and goes at the next run.
        await stack.AddRecipientsAsync(survey.Id, 1);
        await RunAtAsync(opened.AddMonths(12) + TimeSpan.FromMinutes(10));
        Assert.Equal(0, await RecipientCountAsync(survey.Id));
    }

    [Fact]
    public async Task TheFormAndTheEmail_SayWhatRetentionDoes_InEnglishAndWelsh()
    {
        var dated = await stack.PutSurveyAsync("words", status: "open");
        var undated = await stack.PutSurveyAsync("wordsnoclose", status: "open", edit: json => json.Remove("closesAt"));

        var english = await FormTextAsync(dated.Id, "en");
        Assert.Contains("It is deleted 30 days after the survey’s final report has been emailed, and in any case no later than 12 months after the survey closes. If you unsubscribe, it is deleted at once.", english);
        Assert.DoesNotContain("deleted once", english);
        Assert.Contains("no later than 12 months after the survey opened.", await FormTextAsync(undated.Id, "en"));
        Assert.Contains("Caiff ei ddileu 30 diwrnod ar ôl i adroddiad terfynol yr arolwg gael ei anfon drwy e-bost, a beth bynnag ddim hwyrach na 12 mis ar ôl i’r arolwg gau.", await FormTextAsync(dated.Id, "cy"));

        var closed = await stack.PutSurveyAsync("wordsemail");
        await stack.AddRecipientsAsync(closed.Id, 1);
        var reportId = await stack.PublishAsync(closed.Id);
        await Mailer.RunAsync(CancellationToken.None);
        var html = WebUtility.HtmlDecode(stack.SendGrid.Accepted(reportId).Single().Json["content"]!.AsArray()
            .Single(c => (string)c!["type"]! == "text/html")!["value"]!.ToString());
        Assert.Contains("It is deleted 30 days after the survey’s final report has been emailed, and in any case no later than 12 months after the survey closes", html);
        Assert.DoesNotContain("{retention", html);
    }

    private async Task<string> FormTextAsync(string surveyId, string language)
    {
        using var page = await stack.Host.Client.GetAsync($"api/surveys/{surveyId}/form?lang={language}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
    }

    private async Task RunAtAsync(DateTimeOffset at)
    {
        stack.Clock.Offset = at - DateTimeOffset.UtcNow;
        try
        {
            var run = await Mailer.RunAsync(CancellationToken.None);
            Assert.False(run.Skipped);
        }
        finally
        {
            stack.Clock.Offset = TimeSpan.Zero;
        }
    }

    private async Task<string> PublishAsync(string surveyId, bool final)
    {
        using var response = await stack.Host.Admin.PostAsync($"api/admin/surveys/{surveyId}/reports", new StringContent(
            new JsonObject { ["title"] = "The report", ["summary"] = "Findings.", ["publishAt"] = stack.Clock.GetUtcNow().AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture), ["final"] = final }.ToJsonString(),
            System.Text.Encoding.UTF8, "application/json"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(final, (bool)body["final"]!);
        return (string)body["reportId"]!;
    }

    /// <summary>A sealed address waiting alone in the survey's pool (no flush writes fewer than ten).</summary>
    private async Task AddToPoolAsync(string surveyId, string email)
    {
        var sealedAddress = stack.Get<RecipientSeal>().Seal(surveyId, SealedRecipient.Join(email, null));
        await Submissions.AddEntityAsync(PendingRecipientStore.WaitingRow(surveyId, new WaitingAddress(PendingRecipientStore.RandomKey(), sealedAddress)));
    }

    private async Task AddUnreadableToPoolAsync(string surveyId) =>
        await Submissions.AddEntityAsync(new TableEntity(surveyId, PendingRecipientStore.UnreadableKeyFor(PendingRecipientStore.WaitingPrefix + PendingRecipientStore.RandomKey())) { ["Sealed"] = "AAAA" });

    private TableClient Submissions => new(stack.Azurite.ConnectionString, TableNames.Submissions);

    private async Task<int> RecipientCountAsync(string surveyId) =>
        await new TableClient(stack.Azurite.ConnectionString, TableNames.Recipients).QueryAsync<TableEntity>(e => e.PartitionKey == surveyId).CountAsync();

    /// <summary>The survey's pool rows that hold an address: waiting (under either layout) or set aside as unreadable.</summary>
    private async Task<int> PoolCountAsync(string surveyId)
    {
        var count = 0;
        foreach (var prefix in new[] { PendingRecipientStore.WaitingPrefix, PendingRecipientStore.LegacyWaitingPrefix, PendingRecipientStore.UnreadablePrefix })
        {
            var end = prefix[..^1] + "}";
            count += await Submissions.QueryAsync<TableEntity>(e => e.PartitionKey == surveyId && e.RowKey.CompareTo(prefix) >= 0 && e.RowKey.CompareTo(end) < 0).CountAsync();
        }
        return count;
    }

    /// <summary>The report's delivery rows, not counting its one row of counts.</summary>
    private async Task<int> DeliveryRowCountAsync(string reportId) =>
        await new TableClient(stack.Azurite.ConnectionString, TableNames.Deliveries).QueryAsync<TableEntity>(e => e.PartitionKey == reportId && e.RowKey != DeliveryStore.CountsRow).CountAsync();
}
