using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using SurveyBackend.Anonymity;
using SurveyBackend.Storage;
using SurveyBackend.Testing;
using SurveyBackend.Web;

namespace SurveyBackend.Tests.Integration.Aggregation;

[Collection(PipelineCollection.Name)]
public sealed class ExactlyOnceTests(PipelineFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task SameMessageEnqueuedThreeTimes_IsCountedOnce()
    {
        var survey = await fixture.NewSampleSurveyAsync();
        var submission = Submission.Random(survey, 1, new Random(1));
        await fixture.StoreAsync(submission);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => fixture.EnqueueAsync(submission)));

        await Eventually.TrueAsync(() => fixture.IsTombstonedAsync(submission), Patience, "the submission to be processed");
        await Eventually.TrueAsync(async () => await fixture.QueueLengthAsync(QueueNames.Submissions) == 0, Patience, "all three messages to be handled");

        Expected.Equal(Expected.Counts(survey, [submission]), await fixture.CountsAsync(survey));
    }

    [Fact]
    public async Task EightHundredSubmissions_By16ConcurrentWorkers_AreCountedExactly()
    {
        var batch = await fixture.BatchAsync();
        Expected.Equal(Expected.Counts(batch.Survey, batch.Submissions), await fixture.CountsAsync(batch.Survey));
        Assert.Equal(batch.Submissions.Count, await fixture.TombstonesAsync(batch.Survey.Id));
    }

    [Fact]
    public async Task CrashAfterEachStep_ThenRedelivery_CountsExactly_AndLosesNothing()
    {
        var survey = await fixture.NewSampleSurveyAsync();
        var random = new Random(7);
        var submissions = Enumerable.Range(0, 40).Select(i => Submission.Random(survey, 10_000 + i, random)).ToList();
        foreach (var s in submissions) await fixture.StoreAsync(s);
        var before = fixture.Faults.Thrown;
        foreach (var step in PipelineSteps.All) fixture.Faults.Arm(step, 5);
        try
        {
            await Task.WhenAll(submissions.Select(fixture.EnqueueAsync));
            await Eventually.TrueAsync(async () => await fixture.TombstonesAsync(survey.Id) == submissions.Count, Patience, "every submission to be processed");
            await Eventually.TrueAsync(async () => await fixture.QueueLengthAsync(QueueNames.Submissions) == 0, Patience, "the queue to drain");
        }
        finally
        {
            fixture.Faults.Disarm();
        }

        Assert.Equal(PipelineSteps.All.Count * 5, fixture.Faults.Thrown - before);
        Expected.Equal(Expected.Counts(survey, submissions), await fixture.CountsAsync(survey));
        Assert.Equal(0, await fixture.QueueLengthAsync(QueueNames.Submissions + QueueNames.PoisonSuffix));
        // Every address kept exactly once: in the pool or already written, and all of them once a mailing writes the rest.
        await Eventually.TrueAsync(async () => await fixture.RecipientCountAsync(survey.Id) + await fixture.WaitingAsync(survey.Id) == submissions.Count, Patience, "every address to be kept");
        await fixture.LandTheRestAsync(survey.Id);
        Assert.Equal(submissions.Count, await fixture.RecipientCountAsync(survey.Id));
    }

    [Theory]
    [InlineData(PipelineSteps.Counted)]
    [InlineData(PipelineSteps.Tombstoned)]
    public async Task Anonymiser_CrashAtAStep_ThenRetried_CountsOnce(string step)
    {
        var survey = await fixture.NewSampleSurveyAsync();
        var submission = Submission.Random(survey, 20_000, new Random(step.Length));
        await fixture.StoreAsync(submission);
        var anonymiser = fixture.Get<SubmissionAnonymiser>();
        var message = new SubmissionMessage(submission.SurveyId, submission.SubmissionId);

        fixture.Faults.Arm(step, 1);
        try
        {
            await Assert.ThrowsAsync<InjectedCrash>(() => anonymiser.ProcessAsync(message, CancellationToken.None));
        }
        finally
        {
            fixture.Faults.Disarm();
        }
        var retried = await anonymiser.ProcessAsync(message, CancellationToken.None);
        var again = await anonymiser.ProcessAsync(message, CancellationToken.None);

        // Only a crash after the tombstone leaves nothing for the retry to do.
        Assert.Equal(step == PipelineSteps.Tombstoned ? AnonymiseOutcome.AlreadyProcessed : AnonymiseOutcome.Processed, retried);
        Assert.Equal(AnonymiseOutcome.AlreadyProcessed, again);
        Assert.True(await fixture.IsTombstonedAsync(submission));
        Expected.Equal(Expected.Counts(survey, [submission]), await fixture.CountsAsync(survey));
    }

    [Fact]
    public async Task FailingMessage_EndsInPoison_WithoutBlockingOthers_AndReplayCountsIt()
    {
        // A submission for a survey that does not exist yet fails every time.
        var sample = await fixture.NewSampleSurveyAsync();
        var missing = new Surveys.SurveyDefinition
        {
            Id = "agg-late-" + Guid.NewGuid().ToString("N")[..8], Title = "x", Status = Surveys.SurveyStatus.Open,
            Questions = sample.Questions, Privacy = sample.Privacy,
        };
        var doomed = Submission.Random(missing, 30_000, new Random(3));
        await fixture.StoreAsync(doomed);
        await fixture.EnqueueAsync(doomed);

        var survey = await fixture.NewSampleSurveyAsync();
        var fine = Submission.Random(survey, 30_001, new Random(4));
        await fixture.StoreAsync(fine);
        await fixture.EnqueueAsync(fine);
        await Eventually.TrueAsync(() => fixture.IsTombstonedAsync(fine), Patience, "the good message to be processed meanwhile");

        await Eventually.TrueAsync(async () => await PoisonWaitingAsync() >= 1, Patience, "the failing message to reach the poison queue");
        Assert.False(await fixture.IsTombstonedAsync(doomed));

        // The admin fixes the cause (creates the survey) and replays.
        var definition = JsonSerializer.Serialize(missing, JsonDefaults.Options);
        (await fixture.Host.PutSurveyAsync(missing.Id, definition)).EnsureSuccessStatusCode();
        using var replay = await fixture.Host.Admin.PostAsync("api/admin/poison/submissions/replay", null);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.True((int)JsonNode.Parse(await replay.Content.ReadAsStringAsync())!["replayed"]! >= 1);

        await Eventually.TrueAsync(() => fixture.IsTombstonedAsync(doomed), Patience, "the replayed message to be processed");
        var replayedSurvey = (await fixture.Get<Surveys.SurveyCatalog>().FindAsync(missing.Id, CancellationToken.None))!.Definition;
        Expected.Equal(Expected.Counts(replayedSurvey, [doomed]), await fixture.CountsAsync(replayedSurvey));
    }

    [Fact]
    public async Task ReplayingAPoisonedMessageThatWasCounted_DoesNotCountItAgain()
    {
        var survey = await fixture.NewSampleSurveyAsync();
        var submission = Submission.Random(survey, 40_000, new Random(5));
        await fixture.StoreAsync(submission);
        // It is counted every time, then crashes before the tombstone: five times, and it is poison.
        fixture.Faults.Arm(PipelineSteps.Counted, 5);
        try
        {
            await fixture.EnqueueAsync(submission);
            await Eventually.TrueAsync(async () => await PoisonWaitingAsync() >= 1, Patience, "the message to reach the poison queue");
        }
        finally
        {
            fixture.Faults.Disarm();
        }
        Assert.Equal(1, await fixture.RespondentsAsync(survey));

        using var replay = await fixture.Host.Admin.PostAsync("api/admin/poison/submissions/replay", null);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        await Eventually.TrueAsync(() => fixture.IsTombstonedAsync(submission), Patience, "the replayed message to be processed");
        Expected.Equal(Expected.Counts(survey, [submission]), await fixture.CountsAsync(survey));
    }

    [Fact]
    public async Task PoisonRoutes_NeedTheKey_AndAnUnknownQueueIs404()
    {
        using var noKey = await fixture.Host.Client.GetAsync("api/admin/poison");
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        using var unknown = await fixture.Host.Admin.PostAsync("api/admin/poison/nothing/replay", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType!.MediaType);

        // One unreadable address planted where the flush sets them aside, in a survey's partition: the listing must
        // count what is stored, over every survey.
        var survey = await fixture.NewSampleSurveyAsync();
        var submissions = new TableClient(fixture.Azurite.ConnectionString, TableNames.Submissions);
        var planted = new TableEntity(survey.Id, PendingRecipientStore.UnreadablePrefix + PendingRecipientStore.RandomKey())
        {
            ["Sealed"] = "not-a-seal",
        };
        await submissions.AddEntityAsync(planted);
        try
        {
            var stored = await submissions.QueryAsync<TableEntity>(select: ["RowKey"])
                .CountAsync(r => r.RowKey.StartsWith(PendingRecipientStore.UnreadablePrefix, StringComparison.Ordinal));
            using var list = await fixture.Host.Admin.GetAsync("api/admin/poison");
            var listed = JsonNode.Parse(await list.Content.ReadAsStringAsync())!;
            Assert.Equal(["submissions"], listed["queues"]!.AsArray().Select(q => (string)q!["queue"]!));
            Assert.Equal(TableNames.Submissions, (string)listed["recipients"]!["table"]!);
            Assert.True(stored >= 1);
            Assert.Equal(stored, (int)listed["recipients"]!["unreadable"]!);
        }
        finally
        {
            await submissions.DeleteEntityAsync(planted.PartitionKey, planted.RowKey);
        }
    }

    private async Task<int> PoisonWaitingAsync()
    {
        using var response = await fixture.Host.Admin.GetAsync("api/admin/poison");
        response.EnsureSuccessStatusCode();
        var queues = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["queues"]!.AsArray();
        return (int)queues.Single(q => (string)q!["queue"]! == QueueNames.Submissions)!["waiting"]!;
    }
}
