using System.Net;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using SurveyBackend.Storage;

namespace SurveyBackend.Tests.Integration.Intake;

/// <summary>Intake with the real anonymiser behind it: a repeat after processing is answered, and never counted.</summary>
[Collection(IntakeCollection.Name)]
public sealed class IntakePipelineTests(IntakeFixture stack)
{
    [Fact]
    public async Task Submit_SameIdAfterTheAnonymiserProcessedIt_Returns200SameReceipt_AndIsCountedOnce()
    {
        var survey = "intake-" + Guid.NewGuid().ToString("N")[..12];
        using (var put = await stack.PipelineHost.PutSurveyAsync(survey, $$"""
            { "id": "{{survey}}", "title": "T", "status": "open", "minGroupSize": 3, "privacy": { "controller": "Test Research Ltd", "contact": "mailto:privacy@example.org" },
              "questions": [ { "id": "q1", "text": "Pick", "type": "single", "required": true, "options": [ { "id": "a", "text": "A" }, { "id": "b", "text": "B" } ] } ] }
            """)) put.EnsureSuccessStatusCode();
        var id = Guid.NewGuid().ToString();
        string Body(string option) => $$"""{ "submissionId": "{{id}}", "answers": { "q1": "{{option}}" } }""";

        using (var first = await IntakeFixture.PostAsync(stack.PipelineHost, survey, Body("a")))
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        await Testing.Eventually.TrueAsync(async () => await stack.FindRowAsync(id, survey) is null,
            TimeSpan.FromSeconds(60), "the anonymiser to process the submission");
        Assert.NotNull(await stack.FindKeyRowAsync(id, survey));

        using (var repeat = await IntakeFixture.PostAsync(stack.PipelineHost, survey, Body("b")))
        {
            Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
            Assert.Equal(id, (string?)JsonNode.Parse(await repeat.Content.ReadAsStringAsync())!["receipt"]);
        }

        // Had the repeat sent a message, it would be counted once the queue drains: wait for that before counting.
        var queue = new QueueClient(stack.Azurite.ConnectionString, QueueNames.Submissions);
        await Testing.Eventually.TrueAsync(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0,
            TimeSpan.FromSeconds(60), "the submissions queue to drain");
        var results = JsonNode.Parse(await stack.PipelineHost.Admin.GetStringAsync($"api/admin/surveys/{survey}/results"))!;
        // Counted once: the total is shown; every figure of one respondent is hidden (the threshold is at least 3).
        Assert.Equal(1, (int?)results["respondents"]);
        Assert.Null(await stack.FindRowAsync(id, survey));
        Assert.NotNull(await stack.FindKeyRowAsync(id, survey));
    }
}
