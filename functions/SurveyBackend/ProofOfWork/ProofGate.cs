using Microsoft.Extensions.Options;
using SurveyBackend.Storage;

namespace SurveyBackend.ProofOfWork;

/// <summary>
/// The proof-of-work step of intake: the checks that cost only CPU (<see cref="ProofVerifier"/>), then one storage
/// write that marks the challenge used, bound to the submission, so the same proof cannot buy a second submission on
/// this or any other instance. A retry of the same submission (same survey and submissionId) may show it again.
/// </summary>
public sealed class ProofGate(ProofVerifier verifier, UsedChallengeStore used, ProofSecrets secrets, IOptions<ProofOfWorkOptions> options)
{
    public bool IsOn => options.Value.IsOn;

    /// <summary>Null when the proof lets the submission through (or proof of work is off), else why not. Storage faults propagate.</summary>
    public async Task<ProofFault?> CheckAsync(string? payload, string surveyId, string? submissionId, CancellationToken cancellationToken)
    {
        if (!IsOn) return null;
        var (proof, fault) = verifier.Check(payload);
        if (proof is null) return fault;
        var use = await used.UseAsync(proof.ChallengeId, proof.ExpiresAt, secrets.SubmissionKey(surveyId, submissionId), cancellationToken);
        return use == ChallengeUse.Taken ? ProofFault.Used : null;
    }
}
