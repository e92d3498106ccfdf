using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using SurveyBackend.Privacy;
using SurveyBackend.ProofOfWork;
using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Integration.ProofOfWork;

/// <summary>
/// Our C# challenges and verifier against altcha-lib 2.8.0 itself, run live (Node): its challenges pass our verifier,
/// our challenges are solved by it and pass its own verifySolution, and what either side refuses the other refuses too.
/// A low cost keeps each solve to milliseconds; the format is the same at any cost.
/// </summary>
public sealed class AltchaInteropTests
{
    private const int Cost = 200;
    private readonly ProofSecrets _secrets = new(Options.Create(new PrivacyOptions { Secret = "an-interop-test-secret-of-at-least-32-characters" }));
    private readonly ShiftableClock _clock = new();

    private ChallengeIssuer Issuer => new(_secrets, Options.Create(new ProofOfWorkOptions { ProofOfWorkCost = Cost, ProofOfWorkMaxNumber = 60 }), _clock);
    private ProofVerifier Verifier => new(_secrets, _clock);

    [Fact]
    public async Task AChallengeAltchaLibMakes_SolvedByAltchaLib_PassesOurVerifier()
    {
        var challenge = await AltchaReference.CreateChallengeAsync(_secrets.Signature, _secrets.KeySignature, Cost, counter: 37, _clock.GetUtcNow().AddMinutes(10));
        var proof = await AltchaReference.SolveAsync(challenge);

        var (verified, fault) = Verifier.Check(proof);
        Assert.Null(fault);
        Assert.Equal((string)JsonNode.Parse(challenge)!["parameters"]!["nonce"]!, verified!.ChallengeId);
    }

    [Fact]
    public async Task OurChallenge_SolvedByAltchaLib_PassesAltchaLibsVerifier_WithAndWithoutTheKeySecret_AndOurs()
    {
        var challenge = Issuer.Issue();
        var proof = await AltchaReference.SolveAsync(challenge.ToJson());

        Assert.True((bool)(await AltchaReference.VerifyAsync(proof, _secrets.Signature, _secrets.KeySignature))["verified"]!);
        // Without the key secret altcha-lib derives the key again from the counter: our PBKDF2 inputs are its own.
        Assert.True((bool)(await AltchaReference.VerifyAsync(proof, _secrets.Signature))["verified"]!);
        Assert.Null(Verifier.Check(proof).Fault);
    }

    [Fact]
    public async Task OurScriptSolver_WritesProofsAltchaLibAccepts()
    {
        var proof = ProofSolver.Solve(Issuer.Issue().ToJson());
        Assert.True((bool)(await AltchaReference.VerifyAsync(proof, _secrets.Signature))["verified"]!);
    }

    public static TheoryData<string> Tamperings => ["counter", "derivedKey", "cost", "keyPrefix", "expiresAt", "signature", "otherSecret"];

    [Theory]
    [MemberData(nameof(Tamperings))]
    public async Task ATamperedProof_IsRefusedByUs_AndByAltchaLib(string what)
    {
        var proof = await AltchaReference.SolveAsync(Issuer.Issue().ToJson());
        var node = JsonNode.Parse(Convert.FromBase64String(proof))!;
        var parameters = node["challenge"]!["parameters"]!;
        switch (what)
        {
            case "counter": node["solution"]!["counter"] = (uint)node["solution"]!["counter"]! + 1; break;
            case "derivedKey": node["solution"]!["derivedKey"] = Flip((string)node["solution"]!["derivedKey"]!); break;
            case "cost": parameters["cost"] = Cost - 1; break;
            case "keyPrefix": parameters["keyPrefix"] = Flip((string)parameters["keyPrefix"]!); break;
            case "expiresAt": parameters["expiresAt"] = (long)parameters["expiresAt"]! + 86_400; break;
            case "signature": node["challenge"]!["signature"] = Flip((string)node["challenge"]!["signature"]!); break;
        }
        var tampered = Convert.ToBase64String(Encoding.UTF8.GetBytes(node.ToJsonString()));
        var otherSecrets = new ProofSecrets(Options.Create(new PrivacyOptions { Secret = "another-secret-altogether-of-32-characters-or-more" }));
        var verifier = what == "otherSecret" ? new ProofVerifier(otherSecrets, _clock) : Verifier;

        Assert.Equal(ProofFault.Invalid, verifier.Check(tampered).Fault);
        var secrets = what == "otherSecret" ? otherSecrets : _secrets;
        Assert.False((bool)(await AltchaReference.VerifyAsync(tampered, secrets.Signature))["verified"]!);
    }

    [Fact]
    public async Task AnExpiredProof_IsRefusedAsExpiredByUs_AndByAltchaLib()
    {
        _clock.Shift = TimeSpan.FromHours(-2);
        var proof = await AltchaReference.SolveAsync(Issuer.Issue().ToJson());
        _clock.Shift = TimeSpan.Zero;

        Assert.Equal(ProofFault.Expired, Verifier.Check(proof).Fault);
        Assert.True((bool)(await AltchaReference.VerifyAsync(proof, _secrets.Signature, _secrets.KeySignature))["expired"]!);
    }

    [Theory]
    [InlineData(null, ProofFault.Missing)]
    [InlineData("", ProofFault.Missing)]
    [InlineData("not base64!", ProofFault.Invalid)]
    [InlineData("eyJjaGFsbGVuZ2UiOm51bGx9", ProofFault.Invalid)] // {"challenge":null}
    public void NotAProof_IsMissingOrInvalid(string? proof, ProofFault fault) => Assert.Equal(fault, Verifier.Check(proof).Fault);

    private static string Flip(string hex) => (hex[0] == '0' ? '1' : '0') + hex[1..];

    private sealed class ShiftableClock : TimeProvider
    {
        public TimeSpan Shift { get; set; }
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Shift;
    }
}
