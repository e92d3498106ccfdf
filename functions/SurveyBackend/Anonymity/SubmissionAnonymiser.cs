using Microsoft.Extensions.Logging;
using SurveyBackend.Aggregation;
using SurveyBackend.Privacy;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;

namespace SurveyBackend.Anonymity;

public enum AnonymiseOutcome
{
    /// <summary>This call finished the submission (some steps may have been done by an earlier, interrupted attempt).</summary>
    Processed,
    /// <summary>Nothing to do: the pending row is gone (a redelivery of finished work).</summary>
    AlreadyProcessed,
}

/// <summary>
/// Turns a raw submission into a counted anonymous response, hands a consenting sealed address to the survey's pool, and
/// leaves only the tombstone. Each step is idempotent and the raw data goes last, so a crash between any two is repaired by
/// redelivery (the steps: docs/anonymity.md, "How exactly-once works").
/// </summary>
public sealed class SubmissionAnonymiser(
    SubmissionStore submissions,
    PrivacyKeys keys,
    SurveyCatalog catalog,
    AnonymousResponses responses,
    ResponseCounter counter,
    RecipientSeal seal,
    IPipelineFaults faults,
    ILogger<SubmissionAnonymiser> logger)
{
    public async Task<AnonymiseOutcome> ProcessAsync(SubmissionMessage message, CancellationToken cancellationToken)
    {
        if (await FindPendingAsync(message, cancellationToken) is not { } found)
        {
            logger.LogDebug("A submission for survey {SurveyId} was already processed", message.SurveyId);
            return AnonymiseOutcome.AlreadyProcessed;
        }
        var (raw, version) = found;
        var submissionKey = version.ForSubmission(message.SurveyId, message.SubmissionId);

        // Without its definition the response cannot be put in its segments: fail, retry, and in the end go to poison.
        var survey = await catalog.FindAsync(message.SurveyId, cancellationToken)
            ?? throw new InvalidOperationException("A submission refers to a survey that does not exist.");

        await counter.CountAsync(responses.From(message, raw.Submission, version), survey.Definition, cancellationToken);
        faults.Check(PipelineSteps.Counted);

        // A row an older version wrote holds its address in clear: it is sealed here instead.
        var sealedAddress = raw.Submission.SealedAddress
            ?? (raw.Submission.LegacyEmail is { } email ? seal.SealAddress(message.SurveyId, email, raw.Submission.LegacyLanguage) : null);
        var waiting = sealedAddress is null ? null : new WaitingAddress(version.ForWaiting(message.SurveyId, submissionKey), sealedAddress);
        await submissions.CompleteAsync(message.SurveyId, submissionKey, waiting, cancellationToken);
        faults.Check(PipelineSteps.Tombstoned);

        logger.LogInformation("Anonymised and counted a submission for survey {SurveyId}", message.SurveyId);
        return AnonymiseOutcome.Processed;
    }

    /// <summary>
    /// The pending row, under the secret that stored it: the current one, or one used before it was rotated. That
    /// secret keys every later step of this submission too (its response, its waiting address), so a redelivery after
    /// a rotation finds what it did before and counts nothing twice.
    /// </summary>
    private async Task<((RawSubmission Submission, Azure.ETag ETag) Raw, KeyVersion Version)?> FindPendingAsync(SubmissionMessage message, CancellationToken cancellationToken)
    {
        foreach (var version in keys.Versions)
        {
            if (await submissions.FindAsync(message.SurveyId, version.ForSubmission(message.SurveyId, message.SubmissionId), cancellationToken) is { } raw)
                return (raw, version);
        }
        return null;
    }
}
