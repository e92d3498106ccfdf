using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurveyBackend.Privacy;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using SurveyBackend.Validation;

namespace SurveyBackend.Intake;

public enum IntakeStatus
{
    /// <summary>Stored (or, for a honeypot hit, silently discarded): 202.</summary>
    Accepted,
    /// <summary>This submission id was accepted before: 200 with the same receipt; the new body is discarded.</summary>
    Repeat,
    Invalid,
    NotFound,
    /// <summary>Closed, or outside opensAt/closesAt: 410.</summary>
    Closed,
    /// <summary>Storage did not answer; nothing was stored: 503 with Retry-After.</summary>
    Unavailable,
}

public sealed record IntakeOutcome(IntakeStatus Status, string? Receipt = null, ValidationErrors? Errors = null);

/// <summary>
/// Accepts a submission: survey checks, the honeypot, the rules, then the raw row (Pending) and only then
/// the queue message. The JSON route and the no-JS form route both come through here.
/// </summary>
public sealed class IntakeService(
    SurveyCatalog catalog,
    SubmissionStore store,
    ISubmissionQueue queue,
    PrivacyKeys keys,
    RecipientSeal seal,
    IOptions<IntakeOptions> options,
    TimeProvider clock,
    ILogger<IntakeService> logger)
{
    public async Task<IntakeOutcome> SubmitAsync(string surveyId, SubmissionRequest request, CancellationToken cancellationToken)
    {
        PublishedSurvey? survey;
        try
        {
            survey = await catalog.FindPublicAsync(surveyId, cancellationToken);
        }
        catch (Exception ex) when (IsStorageOutage(ex, cancellationToken))
        {
            logger.LogWarning(ex, "Intake for survey {SurveyId} could not read the survey", surveyId);
            return new IntakeOutcome(IntakeStatus.Unavailable);
        }
        if (survey is null) return new IntakeOutcome(IntakeStatus.NotFound);
        var definition = survey.Definition;
        if (!definition.IsTakingSubmissions(clock.GetUtcNow())) return new IntakeOutcome(IntakeStatus.Closed);

        // A bot gets exactly what a person gets, whatever else it sent, and nothing is kept.
        if (!string.IsNullOrEmpty(request.Website))
        {
            var receipt = SubmissionRules.NormaliseSubmissionId(request.SubmissionId) ?? Guid.NewGuid().ToString("D");
            logger.LogInformation("Honeypot filled for survey {SurveyId}, receipt {Receipt}: discarded", surveyId, Prefix(receipt));
            return new IntakeOutcome(IntakeStatus.Accepted, receipt);
        }

        var validated = SubmissionRules.Validate(definition, request);
        if (!validated.IsValid)
        {
            // The count only: field paths can carry whatever a client typed as a property name.
            logger.LogInformation("Submission for survey {SurveyId} refused with {FaultCount} faults", surveyId, validated.Errors.Count);
            return new IntakeOutcome(IntakeStatus.Invalid, Errors: validated.Errors);
        }
        var accepted = validated.Value!;
        return await StoreAsync(definition, accepted, cancellationToken);
    }

    private async Task<IntakeOutcome> StoreAsync(SurveyDefinition definition, AcceptedSubmission accepted, CancellationToken cancellationToken)
    {
        var surveyId = definition.Id;
        var receipt = accepted.SubmissionId;
        var key = keys.ForSubmission(surveyId, receipt);
        var row = new RawSubmission
        {
            SubmissionId = receipt,
            Answers = accepted.Answers,
            // Sealed here, so the address is never stored in clear beside the answers.
            SealedAddress = accepted.Email is { } email ? seal.SealAddress(surveyId, email, accepted.Language) : null,
            KeepAddressUntil = SubmissionStore.KeepAddressUntil(clock.GetUtcNow(), options.Value.PendingRetention),
            State = SubmissionState.Pending,
        };

        bool added;
        try
        {
            added = !await StoredUnderAnEarlierSecretAsync(surveyId, receipt, cancellationToken)
                && await store.TryAddAsync(surveyId, key, row, cancellationToken);
        }
        catch (Exception ex) when (IsStorageOutage(ex, cancellationToken))
        {
            logger.LogWarning(ex, "Submission {Receipt} for survey {SurveyId} not stored, storage unavailable", Prefix(receipt), surveyId);
            return new IntakeOutcome(IntakeStatus.Unavailable);
        }
        if (!added)
        {
            logger.LogInformation("Submission {Receipt} for survey {SurveyId} is a repeat", Prefix(receipt), surveyId);
            return new IntakeOutcome(IntakeStatus.Repeat, receipt);
        }

        // The row is safe: from here the client's going away must not leave its message unsent.
        try
        {
            await queue.SendAsync(new SubmissionMessage(surveyId, receipt), CancellationToken.None);
            logger.LogInformation("Submission {Receipt} for survey {SurveyId} accepted", Prefix(receipt), surveyId);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Accepted all the same: the row is stored and Pending, and the sweeper sends its message.
            logger.LogWarning(ex, "Submission {Receipt} for survey {SurveyId} stored but not enqueued; the sweeper will send it", Prefix(receipt), surveyId);
        }
        // No third write to mark the row Enqueued: it would cost a third of intake's storage work (see the
        // benchmark). A row stays Pending until the anonymiser deletes it; the sweeper re-sends rows still
        // Pending after Intake:SweepAge, which at worst duplicates a message, and processing is idempotent.
        return new IntakeOutcome(IntakeStatus.Accepted, receipt);
    }

    /// <summary>
    /// Whether a secret used before the current one stored this submission (a retry sent before the secret was rotated,
    /// answered after): a repeat, as under the current secret, so it is never counted twice. No read without a rotation.
    /// </summary>
    private async Task<bool> StoredUnderAnEarlierSecretAsync(string surveyId, string submissionId, CancellationToken cancellationToken)
    {
        foreach (var earlier in keys.Versions.Skip(1))
        {
            if (await store.HasKeyAsync(surveyId, earlier.ForSubmission(surveyId, submissionId), cancellationToken)) return true;
        }
        return false;
    }

    /// <summary>Enough of a receipt to follow one submission through the logs, not enough to be its id.</summary>
    public static string Prefix(string receipt) => receipt.Length > 8 ? receipt[..8] : receipt;

    internal static bool IsStorageOutage(Exception ex, CancellationToken requestToken) => ex switch
    {
        RequestFailedException failed => failed.Status == 0 || failed.Status == 408 || failed.Status >= 500,
        HttpRequestException or TimeoutException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(inner => IsStorageOutage(inner, requestToken)),
        OperationCanceledException => !requestToken.IsCancellationRequested,
        _ => false,
    };
}
