using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using SurveyBackend.Anonymity;
using SurveyBackend.Mailing;
using SurveyBackend.Privacy;
using SurveyBackend.Storage;
using SurveyBackend.Tests.Integration.Reports;

namespace SurveyBackend.Tests.Integration.Mailing;

/// <summary>
/// The unsubscribe link as a mail scanner, a person and a mail client meet it: a GET changes nothing and shows one
/// button; a POST (the button, or RFC 8058 one-click) unsubscribes and erases the address from storage at once.
/// </summary>
[Collection(ReportsCollection.Name)]
public sealed class UnsubscribeTests(ReportsStack stack)
{
    private UnsubscribeTokens Tokens => stack.Get<UnsubscribeTokens>();

    [Fact]
    public async Task Get_AsAMailScannerFetchesIt_ChangesNothing_AndShowsOneButtonThatPosts()
    {
        var token = Tokens.Create("scanned@example.gov.uk");

        using var first = await stack.Host.Client.GetAsync($"api/unsubscribe?token={token}");
        var html = await first.Content.ReadAsStringAsync();
        using var again = await stack.Host.Client.GetAsync($"api/unsubscribe?token={token}");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("text/html", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal(html, await again.Content.ReadAsStringAsync());
        Assert.Contains("<h1>Unsubscribe from report emails</h1>", html);
        Assert.Contains("delete your address from our records at once", html);
        Assert.Single(html.Split("<form").Skip(1));
        Assert.Contains($"<form method=\"post\" action=\"unsubscribe?token={token}\">", html);
        Assert.Single(html.Split("<button").Skip(1));
        Assert.Contains("form-action 'self'", first.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("no-store", first.Headers.CacheControl?.ToString());
        var listed = await stack.Get<UnsubscribeStore>().LoadAllAsync(CancellationToken.None);
        Assert.DoesNotContain(Tokens.AddressKey("scanned@example.gov.uk"), listed);
    }

    [Fact]
    public async Task Post_FromThePagesButton_AnswersAPageThatSaysUnsubscribedAndErased_AndReplayingIsTheSame()
    {
        var token = Tokens.Create("button@example.gov.uk");

        var first = await PostAsync(token, html: true);
        var again = await PostAsync(token, html: true);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("text/html", first.MediaType);
        Assert.Contains("<h1>You are unsubscribed</h1>", first.Body);
        Assert.Contains("We will not email you any more reports", first.Body);
        Assert.Contains("Your address has been deleted from our records", first.Body);
        Assert.Equal(first.Body, again.Body);
        var listed = await stack.Get<UnsubscribeStore>().LoadAllAsync(CancellationToken.None);
        Assert.Contains(Tokens.AddressKey("button@example.gov.uk"), listed);
    }

    [Fact]
    public async Task Post_OneClickFromAMailClient_Returns200Json()
    {
        var response = await PostAsync(Tokens.Create("oneclick@example.gov.uk"), html: false);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("application/json", response.MediaType);
        var body = JsonNode.Parse(response.Body)!;
        Assert.Equal("unsubscribed", (string)body["status"]!);
        Assert.True((bool)body["addressErased"]!);
    }

    [Fact]
    public async Task FromAWelshEmail_BothPagesAnswerInWelsh_AndTheButtonKeepsTheLanguage_AndAnInvalidLinkToo()
    {
        var token = Tokens.Create("cymraeg@example.gov.uk");
        using var page = await stack.Host.Client.GetAsync($"api/unsubscribe?token={token}&lang=cy");
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html lang=\"cy\">", html);
        Assert.Contains("<h1>Dad-danysgrifio o negeseuon e-bost yr adroddiadau</h1>", html);
        Assert.Contains($"action=\"unsubscribe?token={token}&lang=cy\"", html);
        Assert.DoesNotContain("unsubscribe from", html, StringComparison.OrdinalIgnoreCase);

        var done = await PostAsync(token, html: true, query: "&lang=cy");
        var doneHtml = WebUtility.HtmlDecode(done.Body);
        Assert.Contains("<h1>Rydych wedi dad-danysgrifio</h1>", doneHtml);
        Assert.Contains("Mae eich cyfeiriad wedi’i ddileu", doneHtml);

        using var invalid = await stack.Host.Client.GetAsync("api/unsubscribe?token=forged&lang=cy");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("Nid yw’r ddolen dad-danysgrifio hon yn ddilys.", await invalid.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("forged")]
    [InlineData("altered-mac")]
    [InlineData("altered-payload")]
    [InlineData("missing")]
    [InlineData("garbage")]
    public async Task ForgedOrAlteredToken_Returns400_ThatRevealsNothing_OnGetAndPost_AndChangesNothing(string kind)
    {
        var good = Tokens.Create("victim@example.gov.uk");
        var dot = good.IndexOf('.');
        var token = kind switch
        {
            "forged" => "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "altered-mac" => good[..^1] + (good[^1] == 'A' ? 'B' : 'A'),
            "altered-payload" => (good[0] == 'A' ? 'B' : 'A') + good[1..],
            "missing" => "",
            _ => "not a token at all" + good[..dot],
        };
        using var get = await stack.Host.Client.GetAsync($"api/unsubscribe?token={Uri.EscapeDataString(token)}");
        var body = await get.Content.ReadAsStringAsync();
        var post = await PostAsync(Uri.EscapeDataString(token), html: true);

        Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
        Assert.Equal("application/problem+json", get.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("victim", body);
        Assert.DoesNotContain("Exception", body);
        Assert.Equal(HttpStatusCode.BadRequest, post.Status);
        Assert.Equal(body, post.Body);
        // The same answer whatever was wrong: nothing to tell a real address from a made-up one.
        using var other = await stack.Host.Client.GetAsync("api/unsubscribe?token=x.y");
        Assert.Equal(body, await other.Content.ReadAsStringAsync());
        Assert.DoesNotContain(Tokens.AddressKey("victim@example.gov.uk"), await stack.Get<UnsubscribeStore>().LoadAllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Post_ErasesTheAddressAtOnce_FromRecipientsDeliveriesTheWaitingPoolAndPoisonQueues_AndOnlyItsKeyedHashStays()
    {
        var mailed = await stack.PutSurveyAsync("erase-mailed");
        var waiting = await stack.PutSurveyAsync("erase-waiting");
        var emails = await stack.AddRecipientsAsync(mailed.Id, 5);
        var leaving = emails[2];
        var staying = emails[3];
        var reportId = await stack.PublishAsync(mailed.Id);
        await stack.Get<ReportMailer>().RunAsync(CancellationToken.None);
        Assert.Equal(5, (int)(await stack.DeliveriesAsync(reportId))["sent"]!);
        // The same person (another letter case) also asked for the other survey's report: waiting in its pool, and on its list.
        await AddToPoolAsync(waiting.Id, leaving.ToUpperInvariant());
        await AddToPoolAsync(waiting.Id, staying);
        await stack.Get<RecipientStore>().AddAsync(waiting.Id, stack.Get<PrivacyKeys>().ForRecipient(waiting.Id, leaving), leaving, "cy", CancellationToken.None);
        // A poisoned message of that survey: it carries references only, and must still do so.
        var poison = new QueueServiceClient(stack.Azurite.ConnectionString, new QueueClientOptions(QueueClientOptions.ServiceVersion.V2025_11_05)).GetQueueClient(QueueNames.Submissions + QueueNames.PoisonSuffix);
        await poison.CreateIfNotExistsAsync();
        await poison.SendMessageAsync(Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new SubmissionMessage(waiting.Id, Guid.NewGuid().ToString()))));
        Assert.NotEmpty(await FindAsync(leaving, [mailed.Id, waiting.Id]));

        var response = await PostAsync(Tokens.Create(leaving), html: false);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Empty(await FindAsync(leaving, [mailed.Id, waiting.Id]));
        // The scan finds what is there: the person who stayed is still in every place.
        var stayed = await FindAsync(staying, [mailed.Id, waiting.Id]);
        Assert.Contains(stayed, f => f.StartsWith(TableNames.Recipients + ":", StringComparison.Ordinal));
        Assert.Contains(stayed, f => f.StartsWith(TableNames.Deliveries + ":", StringComparison.Ordinal));
        Assert.Contains(stayed, f => f.StartsWith("pool:", StringComparison.Ordinal));
        // What stays is the keyed hash on the suppression list, and the report's counts.
        Assert.Contains(Tokens.AddressKey(leaving), await stack.Get<UnsubscribeStore>().LoadAllAsync(CancellationToken.None));
        var status = await stack.DeliveriesAsync(reportId);
        Assert.Equal(5, (int)status["sent"]!);
        Assert.Equal(5, (int)status["recipients"]!);
    }

    [Fact]
    public async Task Mailing_SkipsAnAddressOnTheSuppressionList_InEveryMailing_AndErasesItWhereItArrivedAgain()
    {
        var survey = await stack.PutSurveyAsync("unsub");
        var emails = await stack.AddRecipientsAsync(survey.Id, 6);
        foreach (var email in emails.Take(2))
        {
            var response = await PostAsync(Tokens.Create(email.ToUpperInvariant()), html: false);
            Assert.Equal(HttpStatusCode.OK, response.Status);
        }
        Assert.Equal(4, await stack.Get<RecipientStore>().ListAsync(survey.Id, CancellationToken.None).CountAsync());
        // The two arrive again (as an address does that was waiting in a pool while it was erased).
        await stack.AddRecipientsAsync(survey.Id, 6);
        var reportId = await stack.PublishAsync(survey.Id);

        await stack.Get<ReportMailer>().RunAsync(CancellationToken.None);

        var sent = stack.SendGrid.Delivered(reportId);
        Assert.Equal(emails.Skip(2).Order(), sent.Order());
        var status = await stack.DeliveriesAsync(reportId);
        Assert.Equal(6, (int)status["recipients"]!);
        Assert.Equal(4, (int)status["sent"]!);
        Assert.Equal(2, (int)status["unsubscribed"]!);
        Assert.Empty(await FindAsync(emails[0], [survey.Id]));
        Assert.Empty(await FindAsync(emails[1], [survey.Id]));
    }

    private async Task<(HttpStatusCode Status, string? MediaType, string Body)> PostAsync(string token, bool html, string query = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/unsubscribe?token={token}{query}") 
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }),
        };
        if (html) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        using var response = await stack.Host.Client.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    private async Task AddToPoolAsync(string surveyId, string email)
    {
        var sealedAddress = stack.Get<RecipientSeal>().Seal(surveyId, SealedRecipient.Join(email, "en"));
        // One address alone waits: no flush writes fewer than ten, and no report of these surveys is mailed meanwhile.
        await new TableClient(stack.Azurite.ConnectionString, TableNames.Submissions)
            .AddEntityAsync(PendingRecipientStore.WaitingRow(surveyId, new WaitingAddress(PendingRecipientStore.RandomKey(), sealedAddress)));
    }

    /// <summary>
    /// Every place storage holds the address or anything made from it for these surveys: any table property or key with
    /// it (any letter case) or its recipient key, any sealed value that opens to it, any queue message (poison included)
    /// that mentions either. Each finding names its table (or "pool" for a sealed copy, "queue" for a message).
    /// </summary>
    private async Task<List<string>> FindAsync(string email, IReadOnlyList<string> surveyIds)
    {
        var keys = stack.Get<PrivacyKeys>();
        var seal = stack.Get<RecipientSeal>();
        var needles = surveyIds.Select(id => keys.ForRecipient(id, email)).Append(email.ToLowerInvariant()).ToList();
        bool Holds(string? text) => text is not null && needles.Any(n => text.Contains(n, StringComparison.OrdinalIgnoreCase));
        var found = new List<string>();
        var tables = new TableServiceClient(stack.Azurite.ConnectionString);
        await foreach (var table in tables.QueryAsync())
        {
            await foreach (var row in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                if (Holds(row.PartitionKey) || Holds(row.RowKey) || row.Any(p => Holds(p.Value?.ToString()))) found.Add($"{table.Name}:{row.PartitionKey}/{row.RowKey}");
                if (row.GetString("Sealed") is { } sealedText && Holds(seal.Open(row.PartitionKey, sealedText))) found.Add($"pool:{row.PartitionKey}/{row.RowKey}");
            }
        }
        var queues = new QueueServiceClient(stack.Azurite.ConnectionString, new QueueClientOptions(QueueClientOptions.ServiceVersion.V2025_11_05));
        await foreach (var queue in queues.GetQueuesAsync())
        {
            foreach (var message in (await queues.GetQueueClient(queue.Name).PeekMessagesAsync(32)).Value)
            {
                var text = message.MessageText;
                if (Holds(text) || Holds(TryBase64(text))) found.Add($"queue:{queue.Name}");
            }
        }
        return found;
    }

    private static string? TryBase64(string text)
    {
        try
        {
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(text));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
