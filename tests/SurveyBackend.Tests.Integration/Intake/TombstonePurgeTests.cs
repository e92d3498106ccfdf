using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SurveyBackend.Intake;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Integration.Intake;

/// <summary>Tombstones (the key rows that keep intake idempotent) are deleted a while after their survey closes, and only then.</summary>
[Collection(IntakeCollection.Name)]
public sealed class TombstonePurgeTests(IntakeFixture stack)
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    private static string Survey(string id, DateTimeOffset closesAt) => $$"""
        { "id": "{{id}}", "title": "T", "status": "open", "closesAt": "{{closesAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}}", "minGroupSize": 3, "privacy": { "controller": "Test Research Ltd", "contact": "mailto:privacy@example.org" },
          "questions": [ { "id": "q1", "text": "Pick", "type": "single", "required": true, "options": [ { "id": "a", "text": "A" }, { "id": "b", "text": "B" } ] } ] }
        """;

    private static string Body(string id) => $$"""{ "submissionId": "{{id}}", "answers": { "q1": "a" } }""";

    [Fact]
    public async Task Purge_DeletesAClosedSurveysTombstones_OnlyAfterTheRetention_LeavingPendingRowsAndOpenSurveys()
    {
        var now = DateTimeOffset.UtcNow;
        string closing = "purge-" + Guid.NewGuid().ToString("N")[..10], open = "purge-" + Guid.NewGuid().ToString("N")[..10];
        (await stack.Host.PutSurveyAsync(closing, Survey(closing, now.AddDays(1)))).EnsureSuccessStatusCode();
        (await stack.Host.PutSurveyAsync(open, Survey(open, now.AddDays(365)))).EnsureSuccessStatusCode();
        var store = stack.Host.Services.GetRequiredService<SubmissionStore>();

        var ids = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid().ToString()).ToList();
        foreach (var id in ids) Assert.Equal(HttpStatusCode.Accepted, (await stack.PostAsync(Body(id), closing)).StatusCode);
        var openId = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Accepted, (await stack.PostAsync(Body(openId), open)).StatusCode);
        // Two of the closing survey's submissions and the open one's are processed; the third is still pending.
        foreach (var id in ids.Take(2)) await store.CompleteAsync(closing, stack.Keys.ForSubmission(closing, id), address: null, default);
        await store.CompleteAsync(open, stack.Keys.ForSubmission(open, openId), address: null, default);

        // The survey closes a minute ago (its structure unchanged, so the save is allowed with responses).
        var closedAt = now.AddMinutes(-1);
        (await stack.Host.PutSurveyAsync(closing, Survey(closing, closedAt))).EnsureSuccessStatusCode();

        Assert.Equal(0, await Purger(now).PurgeAsync(default));
        Assert.Equal(0, await Purger(closedAt + Retention - TimeSpan.FromMinutes(1)).PurgeAsync(default));
        Assert.Equal(3, await KeyRowsAsync(closing, ids));

        Assert.Equal(3, await Purger(closedAt + Retention + TimeSpan.FromMinutes(1)).PurgeAsync(default));
        Assert.Equal(0, await KeyRowsAsync(closing, ids));
        // The unprocessed submission keeps its data for the anonymiser; the open survey keeps its tombstone.
        Assert.NotNull(await stack.FindRowAsync(ids[2], closing));
        Assert.NotNull(await stack.FindKeyRowAsync(openId, open));
        // A late retry is refused for the survey being closed, before any key would be looked at.
        Assert.Equal(HttpStatusCode.Gone, (await stack.PostAsync(Body(ids[0]), closing)).StatusCode);
        // Nothing left to delete: the next run finds nothing.
        Assert.Equal(0, await Purger(closedAt + Retention + TimeSpan.FromDays(1)).PurgeAsync(default));
    }

    [Fact]
    public void ClosedSince_IsClosesAtOncePassed_OrTheLastSaveOfASurveyClosedByItsStatus()
    {
        var now = DateTimeOffset.UtcNow;
        var saved = now.AddDays(-3);
        var definition = new SurveyDefinition { Id = "s", Title = "T", Status = SurveyStatus.Open, Questions = [] };
        PublishedSurvey Of(SurveyDefinition d) => new(d, "{}", "\"e\"", saved);

        Assert.Null(TombstonePurger.ClosedSince(Of(definition), now));
        Assert.Null(TombstonePurger.ClosedSince(Of(definition with { ClosesAt = now.AddDays(1) }), now));
        Assert.Equal(now.AddDays(-1), TombstonePurger.ClosedSince(Of(definition with { ClosesAt = now.AddDays(-1) }), now));
        Assert.Equal(saved, TombstonePurger.ClosedSince(Of(definition with { Status = SurveyStatus.Closed }), now));
        Assert.Equal(saved, TombstonePurger.ClosedSince(Of(definition with { Status = SurveyStatus.Closed, ClosesAt = now.AddDays(1) }), now));
        Assert.Null(TombstonePurger.ClosedSince(Of(definition with { Status = SurveyStatus.Draft }), now));
    }

    private TombstonePurger Purger(DateTimeOffset now) => new(
        stack.Host.Services.GetRequiredService<SurveyCatalog>(),
        stack.Host.Services.GetRequiredService<SubmissionStore>(),
        Options.Create(new IntakeOptions { TombstoneRetention = Retention }),
        new FixedClock(now),
        NullLogger<TombstonePurger>.Instance);

    private async Task<int> KeyRowsAsync(string surveyId, IEnumerable<string> ids)
    {
        var count = 0;
        foreach (var id in ids)
        {
            if ((await stack.Submissions.GetEntityIfExistsAsync<TableEntity>(surveyId, stack.Keys.ForSubmission(surveyId, id))).HasValue) count++;
        }
        return count;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
