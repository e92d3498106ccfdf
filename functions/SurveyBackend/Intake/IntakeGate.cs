using System.Net;
using Microsoft.Extensions.Logging;
using SurveyBackend.ProofOfWork;

namespace SurveyBackend.Intake;

/// <summary>What the gate needs to know of a post before its body is read, taken from the request by the route.</summary>
/// <param name="Client">The client's address, for the flood guard (never stored).</param>
/// <param name="SecFetchSite">The <c>Sec-Fetch-Site</c> header, if any.</param>
/// <param name="Origin">The <c>Origin</c> header, if any.</param>
/// <param name="Host">The host the request was sent to.</param>
public sealed record PostHeaders(IPAddress Client, string? SecFetchSite, string? Origin, string? Host);

/// <summary>
/// The one gate in front of both intake routes, knowing nothing of HTTP: a route calls <see cref="Admit"/>, parses its body
/// its own way, then calls <see cref="SubmitAsync"/>, and maps each <see cref="GateResult"/>; every outcome is counted for
/// the owner. The order of checks: docs/intake.md.
/// </summary>
public sealed class IntakeGate(
    IntakeService intake, FloodGuard floodGuard, SiteCheck sites, FormTokens formTokens, ProofGate proofs, IntakeCounter counts,
    ILogger<IntakeGate> logger)
{
    /// <summary>Null when the post may go on to have its body read; else why not.</summary>
    public GateResult? Admit(IntakeRoute route, PostHeaders post)
    {
        GateResult? stop = floodGuard.Check(post.Client) is { } wait ? new GateResult.Flooded(wait)
            : sites.IsCrossSite(route, post.SecFetchSite, post.Origin, post.Host) ? new GateResult.CrossSite()
            : null;
        return stop is null ? null : Counted(stop, submission: null);
    }

    /// <summary>The post's credential, then <see cref="IntakeService"/>.</summary>
    public async Task<GateResult> SubmitAsync(string surveyId, SubmissionRequest submission, IntakeCredential credential, CancellationToken cancellationToken) =>
        Counted(await SubmitUncountedAsync(surveyId, submission, credential, cancellationToken), submission);

    private async Task<GateResult> SubmitUncountedAsync(string surveyId, SubmissionRequest submission, IntakeCredential credential, CancellationToken cancellationToken)
    {
        if (credential is IntakeCredential.FormToken form
            && formTokens.Check(form.Token, surveyId, submission.SubmissionId) is var check and not FormTokenCheck.Valid)
        {
            return new GateResult.FormTokenRefused(Expired: check == FormTokenCheck.Expired);
        }
        if (credential is IntakeCredential.Proof proof)
        {
            try
            {
                if (await proofs.CheckAsync(proof.Payload, surveyId, submission.SubmissionId, cancellationToken) is { } fault)
                    return new GateResult.ProofRefused(fault);
            }
            catch (Exception ex) when (IntakeService.IsStorageOutage(ex, cancellationToken))
            {
                logger.LogWarning(ex, "Intake for survey {SurveyId} could not record a used challenge", surveyId);
                return new GateResult.Decided(new IntakeOutcome(IntakeStatus.Unavailable));
            }
        }
        return new GateResult.Decided(await intake.SubmitAsync(surveyId, submission, cancellationToken));
    }

    /// <summary>The owner's hourly counts (<see cref="IntakeCounter"/>): what became of the post, never who sent it.</summary>
    private GateResult Counted(GateResult result, SubmissionRequest? submission)
    {
        IntakeCount? count = result switch
        {
            GateResult.Flooded => IntakeCount.Flood,
            GateResult.CrossSite => IntakeCount.Origin,
            GateResult.FormTokenRefused => IntakeCount.Token,
            GateResult.ProofRefused => IntakeCount.Proof,
            // IntakeService answers a filled honeypot as accepted; only the count tells them apart.
            GateResult.Decided { Outcome.Status: IntakeStatus.Accepted } => string.IsNullOrEmpty(submission?.Website) ? IntakeCount.Accepted : IntakeCount.Honeypot,
            _ => null,
        };
        if (count is { } what) counts.Add(what);
        return result;
    }
}
