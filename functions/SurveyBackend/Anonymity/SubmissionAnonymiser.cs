using System.Globalization;
using System.Text.Json;
using Azure;
using Microsoft.Extensions.Logging;
using SurveyBackend.Aggregation;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;

namespace SurveyBackend.Anonymity;

public enum AnonymiseOutcome
{
    /// <summary>This call finished the submission (some steps may have been done by an earlier, interrupted attempt).</summary>
    Processed,
    /// <summary>Nothing to do: the raw row is gone or already a tombstone (a redelivery).</summary>
    AlreadyProcessed,
}

/// <summary>
/// Turns a raw submission into an anonymous response, counts it, passes a consenting address on sealed, and
/// reduces the raw row to a tombstone. Every step is idempotent and they run in an order that makes a crash
/// between any two safe: the message is redelivered and the finished steps find their work already done.
/// <list type="number">
/// <item>write the response under a deterministic keyed RowKey (a redelivery finds it there);</item>
/// <item>count it (marker + counters in one transaction: counted once);</item>
/// <item>leave the sealed address in the pending recipients table (a duplicate is harmless: one address is one recipient row);</item>
/// <item>replace the raw row with a tombstone, on its ETag (the raw row is the last thing to go, so nothing is lost).</item>
/// </list>
/// </summary>
public sealed class SubmissionAnonymiser(
    SubmissionStore submissions,
    ResponseStore responses,
    ResponseCounter counter,
    PendingRecipientStore recipients,
    SurveyCatalog catalog,
    SubmissionKeys keys,
    RecipientSeal seal,
    OtherTextScrubber scrubber,
    IPipelineFaults faults,
    ILogger<SubmissionAnonymiser> logger)
{
    public async Task<AnonymiseOutcome> ProcessAsync(SubmissionMessage message, CancellationToken cancellationToken)
    {
        var submissionKey = keys.ForSubmission(message.SurveyId, message.SubmissionId);
        var found = await submissions.FindAsync(message.SurveyId, submissionKey, cancellationToken);
        if (found is not { } raw || raw.Submission.State == SubmissionState.Processed)
        {
            logger.LogDebug("A submission for survey {SurveyId} was already processed", message.SurveyId);
            return AnonymiseOutcome.AlreadyProcessed;
        }

        // Without its definition the response cannot be put in its segments: fail, retry, and in the end go to poison.
        var survey = await catalog.FindAsync(message.SurveyId, cancellationToken)
            ?? throw new InvalidOperationException("A submission refers to a survey that does not exist.");

        var response = ToResponse(message, raw.Submission);
        await responses.TryAddAsync(response, cancellationToken);
        faults.Check(PipelineSteps.ResponseWritten);

        await counter.CountAsync(response.SurveyId, response.ResponseKey, response.Answers, survey.Definition.Segments, response.Day, cancellationToken);
        faults.Check(PipelineSteps.Counted);

        if (EmailAddress.Normalise(raw.Submission.Email) is { } email)
        {
            await recipients.AddAsync(message.SurveyId, seal.Seal(message.SurveyId, email), cancellationToken);
        }
        faults.Check(PipelineSteps.RecipientPending);

        try
        {
            await submissions.ReplaceWithTombstoneAsync(message.SurveyId, submissionKey, raw.ETag, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Another worker with the same message got there first; its tombstone is as good as ours.
        }
        faults.Check(PipelineSteps.Tombstoned);

        logger.LogInformation("Anonymised and counted a submission for survey {SurveyId}", message.SurveyId);
        return AnonymiseOutcome.Processed;
    }

    private AnonymousResponse ToResponse(SubmissionMessage message, RawSubmission raw)
    {
        var answers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        using (var document = JsonDocument.Parse(raw.AnswersJson))
        {
            foreach (var answer in document.RootElement.EnumerateObject())
            {
                answers[answer.Name] = answer.Value.ValueKind switch
                {
                    JsonValueKind.String => [answer.Value.GetString()!],
                    JsonValueKind.Array => [.. answer.Value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)],
                    _ => [],
                };
            }
        }

        var other = new Dictionary<string, string>(StringComparer.Ordinal);
        if (raw.OtherJson is { Length: > 0 } otherJson)
        {
            foreach (var (questionId, text) in JsonSerializer.Deserialize<Dictionary<string, string>>(otherJson) ?? [])
            {
                if (!string.IsNullOrWhiteSpace(text)) other[questionId] = scrubber.Scrub(text);
            }
        }

        return new AnonymousResponse(
            message.SurveyId,
            // Keyed under the secret, and a different purpose from the raw row's key: neither can be tied to the other.
            keys.Hash("response", message.SurveyId, message.SubmissionId.ToLowerInvariant()),
            raw.ReceivedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            answers,
            other);
    }
}
