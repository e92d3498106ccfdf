using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using SurveyBackend.Anonymity;
using SurveyBackend.Privacy;
using SurveyBackend.Storage;
using SurveyBackend.Testing;
using SurveyBackend.Tests.Integration.Aggregation;
using Xunit.Abstractions;

namespace SurveyBackend.Tests.Integration.Anonymity;

[Collection(PipelineCollection.Name)]
public sealed class AnonymityTests(PipelineFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task AfterProcessing_NoTableQueueOrLogHoldsAContact_OutsideTheRecipientsStore()
    {
        var batch = await fixture.BatchAsync();
        var secrets = batch.Submissions.SelectMany(s => s.Other.Values.Select(Contacts).SelectMany(c => c).Append(s.Email!)).Distinct().ToList();
        var hits = new List<string>();

        var tables = new TableServiceClient(fixture.Azurite.ConnectionString);
        await foreach (var table in tables.QueryAsync())
        {
            await foreach (var entity in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                if (table.Name == TableNames.Recipients)
                {
                    // The recipients store holds the address and the language the respondent used (on purpose: the
                    // report email is sent in it), and nothing else of the response.
                    Assert.Empty(entity.Keys.Except(["PartitionKey", "RowKey", "Timestamp", "odata.etag", "Email", "Language"]));
                    continue;
                }
                if (table.Name == TableNames.Submissions && entity.ContainsKey("Sealed"))
                {
                    // An address still waiting is sealed, in its survey's partition, and nothing else; the scan below finds no address in it.
                    Assert.True(entity.RowKey.StartsWith(PendingRecipientStore.WaitingPrefix, StringComparison.Ordinal)
                        || entity.RowKey.StartsWith(PendingRecipientStore.UnreadablePrefix, StringComparison.Ordinal), entity.RowKey);
                    Assert.Empty(entity.Keys.Except(["PartitionKey", "RowKey", "Timestamp", "odata.etag", "Sealed"]));
                }
                var text = string.Join(" ", entity.Select(p => $"{p.Key}={p.Value}"));
                hits.AddRange(secrets.Where(s => text.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(s => $"{table.Name}: {s}"));
            }
        }

        var queues = fixture.Get<QueueServiceClient>();
        await foreach (var queue in queues.GetQueuesAsync())
        {
            foreach (var message in (await queues.GetQueueClient(queue.Name).PeekMessagesAsync(32)).Value)
            {
                var text = message.Body.ToString();
                hits.AddRange(secrets.Where(s => text.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(s => $"queue {queue.Name}: {s}"));
            }
        }

        foreach (var line in fixture.Logs.Lines)
        {
            hits.AddRange(secrets.Where(s => line.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(s => $"log: {s}"));
        }

        Assert.Empty(hits);
        Assert.Equal(batch.Submissions.Count, await fixture.RecipientCountAsync(batch.Survey.Id));
    }

    [Fact]
    public async Task PostedThroughIntake_NamesOrganisationsAndEmails_AreNowhereButTheRecipientsStore()
    {
        var survey = await fixture.NewSampleSurveyAsync();
        var random = new Random(77);
        var people = Enumerable.Range(0, 20).Select(i => (
            Submission: Submission.Random(survey, 60_000 + i, random),
            Name: $"Firstname{i:D3} Surname{i:D3}",
            Organisation: $"Testshire Borough Council {i:D3}")).ToList();
        foreach (var (submission, name, organisation) in people)
        {
            var body = JsonSerializer.Serialize(new
            {
                submissionId = submission.SubmissionId,
                answers = submission.Answers,
                other = submission.Other,
                respondent = new { email = submission.Email, name, organisation, wantsReport = true, consent = true },
                website = "",
            });
            using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            using var response = await fixture.Host.Client.PostAsync($"api/surveys/{survey.Id}/responses", content);
            Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        }
        await Eventually.TrueAsync(async () => await fixture.TombstonesAsync(survey.Id) == people.Count, TimeSpan.FromSeconds(90), "the posted submissions to be processed");
        // Ten land as a batch on the timer; whatever is left, as a mailing would write it.
        await fixture.LandTheRestAsync(survey.Id);
        Assert.Equal(people.Count, await fixture.RecipientCountAsync(survey.Id));

        var everywhere = people.SelectMany(p => new[] { p.Name, p.Organisation }).ToList();
        var outsideRecipients = people.SelectMany(p => p.Submission.Other.Values.SelectMany(Contacts).Append(p.Submission.Email!)).ToList();
        var hits = await FindAsync(everywhere, outsideRecipients);
        Assert.Empty(hits);
        Expected.Equal(Expected.Counts(survey, people.Select(p => p.Submission)), await fixture.CountsAsync(survey));
    }

    [Fact]
    public async Task TheRespondentsLanguage_IsKeptBesideTheirAddress_AndNothingWhenTheyGaveNone()
    {
        var survey = await fixture.NewSampleSurveyAsync();
        var random = new Random(16);
        var welsh = Submission.Random(survey, 70_001, random) with { Email = "cymraeg@example.gov.uk" };
        var unsaid = Submission.Random(survey, 70_002, random) with { Email = "unsaid@example.gov.uk" };
        var english = Submission.Random(survey, 70_003, random) with { Email = "english@example.gov.uk" };
        foreach (var (submission, lang, header) in new[] { (welsh, "cy", (string?)null), (unsaid, null, null), (english, null, "en-GB,en;q=0.8") })
        {
            var body = JsonSerializer.Serialize(new
            {
                submissionId = submission.SubmissionId, answers = submission.Answers, other = submission.Other, lang,
                respondent = new { email = submission.Email, wantsReport = true, consent = true },
            }, new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });
            using var request = new HttpRequestMessage(HttpMethod.Post, $"api/surveys/{survey.Id}/responses") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            if (header is not null) request.Headers.Add("Accept-Language", header);
            using var response = await fixture.Host.Client.SendAsync(request);
            Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        }
        await Eventually.TrueAsync(async () => await fixture.TombstonesAsync(survey.Id) == 3, TimeSpan.FromSeconds(90), "the three submissions to be processed");
        // Three never make a batch: they wait for a mailing, which writes them all at once.
        Assert.Equal(0, await fixture.RecipientCountAsync(survey.Id));
        await fixture.LandTheRestAsync(survey.Id);
        Assert.Equal(3, await fixture.RecipientCountAsync(survey.Id));

        var rows = new Dictionary<string, TableEntity>();
        var table = new TableServiceClient(fixture.Azurite.ConnectionString).GetTableClient(TableNames.Recipients);
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {survey.Id}"))) rows[row.GetString("Email")] = row;
        Assert.Equal("cy", rows["cymraeg@example.gov.uk"].GetString("Language"));
        Assert.Equal("en", rows["english@example.gov.uk"].GetString("Language"));
        Assert.False(rows["unsaid@example.gov.uk"].ContainsKey("Language"));
        Assert.All(rows.Values, r => Assert.Empty(r.Keys.Except(["PartitionKey", "RowKey", "Timestamp", "odata.etag", "Email", "Language"])));
    }

    /// <summary>Where any of <paramref name="everywhere"/> occurs at all, or any of <paramref name="outsideRecipients"/> occurs outside the recipients table.</summary>
    private async Task<List<string>> FindAsync(IReadOnlyList<string> everywhere, IReadOnlyList<string> outsideRecipients)
    {
        var hits = new List<string>();
        void Check(string where, string text, bool recipients)
        {
            hits.AddRange(everywhere.Where(s => text.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(s => $"{where}: {s}"));
            if (!recipients) hits.AddRange(outsideRecipients.Where(s => text.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(s => $"{where}: {s}"));
        }
        var tables = new TableServiceClient(fixture.Azurite.ConnectionString);
        await foreach (var table in tables.QueryAsync())
        {
            await foreach (var entity in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
                Check(table.Name, string.Join(" ", entity.Select(p => $"{p.Key}={p.Value}")), table.Name == TableNames.Recipients);
        }
        var queues = fixture.Get<QueueServiceClient>();
        await foreach (var queue in queues.GetQueuesAsync())
        {
            foreach (var message in (await queues.GetQueueClient(queue.Name).PeekMessagesAsync(32)).Value)
                Check($"queue {queue.Name}", message.Body.ToString(), recipients: false);
        }
        foreach (var line in fixture.Logs.Lines) Check("log", line, recipients: false);
        return hits;
    }

    [Fact]
    public async Task AnonymousResponse_HoldsAnswersScrubbedOtherTextAndTheDayOnly()
    {
        var batch = await fixture.BatchAsync();
        var rows = await ResponseRowsAsync(batch.Survey.Id);

        Assert.Equal(batch.Submissions.Count, rows.Count);
        Assert.All(rows, row =>
        {
            Assert.Empty(row.Keys.Except(["PartitionKey", "RowKey", "Timestamp", "odata.etag", "Day", "AnswersJson"]));
            Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", row.GetString("Day"));
        });
        var others = rows.Select(r => Answers.FromJson(r.GetString("AnswersJson")).Other).Where(o => o.Count > 0).ToList();
        Assert.NotEmpty(others);
        Assert.All(others.SelectMany(o => o.Values), text => Assert.Contains(OtherTextScrubber.Removed, text));

        // No stored key is the client's id or the raw row's key.
        var keys = fixture.Get<PrivacyKeys>();
        var forbidden = batch.Submissions.SelectMany(s => new[] { s.SubmissionId, keys.ForSubmission(s.SurveyId, s.SubmissionId) }).ToHashSet();
        Assert.DoesNotContain(rows, r => forbidden.Contains(ResponseKey(r)));
    }

    [Fact]
    public async Task Linkage_EveryBatchHoldsTen_AndWithinABatch_RecipientsOrderDoesNotFollowResponsesOrder_ByKeyOrTimestamp()
    {
        var batch = await fixture.BatchAsync();
        output.WriteLine($"{batch.Submissions.Count} submissions processed in {batch.Processing.TotalSeconds:0.0}s; recipients written ten or more at a time");
        var keys = fixture.Get<PrivacyKeys>();
        var survey = batch.Survey.Id;

        var responseRows = (await ResponseRowsAsync(survey)).ToDictionary(ResponseKey);
        var recipientRows = await ReadAsync(TableNames.Recipients, survey);
        Assert.Equal(batch.Submissions.Count, recipientRows.Count);

        // The batches as storage shows them: runs of recipients written together (the flush runs every second here).
        var batches = new List<List<TableEntity>>();
        foreach (var row in recipientRows.OrderBy(r => r.Timestamp))
        {
            if (batches.Count == 0 || row.Timestamp - batches[^1][^1].Timestamp > TimeSpan.FromMilliseconds(300)) batches.Add([]);
            batches[^1].Add(row);
        }
        output.WriteLine($"{batches.Count} batches: {string.Join(", ", batches.Select(b => b.Count))}");
        // The batches follow time (that an address belongs to its batch is what the design gives away); every one but
        // the last, which the test wrote as a mailing would, holds at least ten.
        Assert.All(batches.SkipLast(1), b => Assert.True(b.Count >= 10, $"a batch of {b.Count}"));

        // Ground truth the test knows (and storage does not): which response and which recipient are one person.
        var person = batch.Submissions.ToDictionary(s => keys.ForRecipient(survey, s.Email!), s => keys.ForResponse(survey, s.SubmissionId));
        foreach (var responseOrder in new[] { "RowKey", "Timestamp" })
        {
            foreach (var recipientOrder in new[] { "RowKey", "Timestamp" })
            {
                // Within each batch, each person's place among its responses and among its recipients (0 to 1), pooled.
                var pairs = batches.Where(b => b.Count > 1).SelectMany(b =>
                {
                    var responses = b.Select(r => responseRows[person[r.RowKey]]).ToList();
                    var responseRank = Ranked(responses, responseOrder, ResponseKey);
                    var recipientRank = Ranked(b, recipientOrder, r => person[r.RowKey]);
                    return b.Select(r => (responseRank[person[r.RowKey]] / (b.Count - 1.0), recipientRank[person[r.RowKey]] / (b.Count - 1.0)));
                }).ToList();
                var rho = Spearman([.. pairs.Select(p => p.Item1)], [.. pairs.Select(p => p.Item2)]);
                output.WriteLine($"within batches, responses by {responseOrder} vs recipients by {recipientOrder}: rho = {rho:0.000}");
                Assert.True(Math.Abs(rho) < 0.1, $"within batches, responses by {responseOrder} vs recipients by {recipientOrder}: rho = {rho:0.000}");
            }
        }
    }

    /// <summary>Each row's place in <paramref name="rows"/> by its RowKey or its Timestamp, by the key the test knows it by.</summary>
    private static Dictionary<string, int> Ranked(List<TableEntity> rows, string order, Func<TableEntity, string> key) =>
        (order == "RowKey" ? rows.OrderBy(r => r.RowKey, StringComparer.Ordinal) : rows.OrderBy(r => r.Timestamp).ThenBy(r => r.RowKey, StringComparer.Ordinal))
            .Select((r, i) => (key(r), i)).ToDictionary();

    /// <summary>The survey's anonymous responses as stored: <c>r|{responseKey}</c> rows in its counter shards' partitions.</summary>
    private async Task<List<TableEntity>> ResponseRowsAsync(string surveyId)
    {
        var rows = new List<TableEntity>();
        var aggregates = new TableClient(fixture.Azurite.ConnectionString, TableNames.Aggregates);
        await foreach (var row in aggregates.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey ge {surveyId + "|"} and PartitionKey lt {surveyId + "}"}")))
        {
            if (row.RowKey.StartsWith(AggregateStore.ResponseRowKey(""), StringComparison.Ordinal)) rows.Add(row);
        }
        return rows;
    }

    private static string ResponseKey(TableEntity responseRow) => responseRow.RowKey[AggregateStore.ResponseRowKey("").Length..];

    private async Task<List<TableEntity>> ReadAsync(string table, string surveyId)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in new TableClient(fixture.Azurite.ConnectionString, table).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {surveyId}")))
            rows.Add(row);
        return rows;
    }

    /// <summary>Pearson correlation of (normalised) ranks.</summary>
    private static double Spearman(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>The contact details planted in a submission's "Other" text.</summary>
    private static IEnumerable<string> Contacts(string other) =>
        System.Text.RegularExpressions.Regex.Matches(other, @"\S+@\S+|01632 \d{6}|SW1A \dAA").Select(m => m.Value);
}
