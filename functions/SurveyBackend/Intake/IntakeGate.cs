using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurveyBackend.ProofOfWork;
using SurveyBackend.Web;

namespace SurveyBackend.Intake;

/// <summary>
/// The one gate in front of both intake routes, the JSON one and the no-JavaScript form post. A route calls
/// <see cref="AdmitAsync"/> (flood guard and site check before a byte of the body is read, then media type and size),
/// parses the body its own way, then calls <see cref="SubmitAsync"/> (form token or proof of work, then the service).
/// Each returns a <see cref="GateResult"/> the route maps, and each outcome is counted for the owner.
/// </summary>
public sealed class IntakeGate(
    IntakeService intake, FloodGuard floodGuard, SiteCheck sites, FormTokens formTokens, ProofGate proofs, IntakeCounter counts,
    IOptions<IntakeOptions> options, ILogger<IntakeGate> logger)
{
    public async Task<GateResult> AdmitAsync(HttpRequest request, IntakeRoute route, CancellationToken cancellationToken) =>
        Counted(await AdmitUncountedAsync(request, route, cancellationToken), submission: null);

    /// <summary>The post's credential, then <see cref="IntakeService"/>.</summary>
    public async Task<GateResult> SubmitAsync(string surveyId, SubmissionRequest submission, IntakeCredential credential, CancellationToken cancellationToken) =>
        Counted(await SubmitUncountedAsync(surveyId, submission, credential, cancellationToken), submission);

    private async Task<GateResult> AdmitUncountedAsync(HttpRequest request, IntakeRoute route, CancellationToken cancellationToken)
    {
        if (floodGuard.Check(ClientAddress(request, options.Value.ClientAddressHeader)) is { } wait) return new GateResult.Flooded(wait);
        if (sites.IsCrossSite(route, request.Headers["Sec-Fetch-Site"], request.Headers.Origin, request.Host.Host)) return new GateResult.CrossSite();

        var mediaType = route == IntakeRoute.Json ? RequestBodies.Json : RequestBodies.Form;
        var body = await RequestBodies.ReadAsync(request, IntakeOptions.MaxBodyBytes, cancellationToken, mediaType);
        return body.Succeeded ? new GateResult.Admitted(body.Body) : new GateResult.BadBody(body.Problem!);
    }

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

    /// <summary>
    /// The client's address for the flood guard: the last entry of <paramref name="header"/> when one is configured
    /// (the proxy in front appends the address it saw), else the connection's.
    /// </summary>
    public static IPAddress ClientAddress(HttpRequest request, string? header)
    {
        if (header is { Length: > 0 }
            && request.Headers[header].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } forwarded
            && IPAddress.TryParse(forwarded[^1], out var address))
        {
            return address;
        }
        return request.HttpContext.Connection.RemoteIpAddress ?? IPAddress.None;
    }
}
