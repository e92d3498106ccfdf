using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using SurveyBackend.ProofOfWork;
using SurveyBackend.Web;

namespace SurveyBackend.Intake;

/// <summary>
/// <c>GET /api/challenge</c>: a fresh signed proof-of-work challenge, as altcha-lib makes one and the altcha widget
/// fetches one. Issuing costs the server one key derivation, so it has its own flood guard (same allowance as intake,
/// its own buckets, so a person's one challenge does not eat into their submissions).
/// </summary>
public sealed class ChallengeEndpoints(ChallengeIssuer issuer, IOptions<IntakeOptions> options, TimeProvider clock)
{
    private readonly FloodGuard _floodGuard = new(options, clock);

    public IActionResult GetChallenge(HttpRequest request)
    {
        if (_floodGuard.Check(IntakeEndpoints.ClientAddress(request, options.Value.ClientAddressHeader)) is { } wait) return Problems.TooManyRequests(wait);
        // Each is single-use: a cached one would be refused as used by the second person to get it.
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return new ContentResult { Content = issuer.Issue().ToJson(), ContentType = "application/json; charset=utf-8", StatusCode = StatusCodes.Status200OK };
    }
}
