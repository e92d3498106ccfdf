using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SurveyBackend.Privacy;

namespace SurveyBackend.Tests.Unit.Privacy;

public sealed class PrivacyKeysTests
{
    private const string Secret = "a-test-secret-that-is-long-enough-for-hmac-keys";
    private const string SubmissionId = "0b9f1c2e-5d7a-4f8e-9a61-3c2b7e4d9f10";
    private static readonly PrivacyKeys Keys = new(Options.Create(new PrivacyOptions { Secret = Secret }));

    /// <summary>What rows already stored were keyed with: HMAC-SHA256(secret, purpose \n parts…), hex. A change would orphan them.</summary>
    private static string Expected(params string[] purposeAndParts) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(string.Join("\n", purposeAndParts))));

    [Fact]
    public void EachPurpose_HashesAsStoredKeysWereMade()
    {
        Assert.Equal(Expected("submission", "survey-a", SubmissionId), Keys.ForSubmission("survey-a", SubmissionId));
        Assert.Equal(Expected("response", "survey-a", SubmissionId), Keys.ForResponse("survey-a", SubmissionId));
        Assert.Equal(Expected("recipient", "survey-a", "jo@example.gov.uk"), Keys.ForRecipient("survey-a", "jo@example.gov.uk"));
        Assert.Equal(Expected("unsubscribe", "jo@example.gov.uk"), Keys.ForUnsubscribe("jo@example.gov.uk"));
    }

    [Fact]
    public void TheSameInput_UnderDifferentPurposes_GivesUnrelatedKeys()
    {
        var keys = new[]
        {
            Keys.ForSubmission("survey-a", SubmissionId), Keys.ForResponse("survey-a", SubmissionId),
            Keys.ForRecipient("survey-a", SubmissionId), Keys.ForUnsubscribe(SubmissionId),
        };
        Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void SubmissionAndResponseKeys_IgnoreTheIdsLetterCase_AndAddressKeysUseTheNormalForm()
    {
        Assert.Equal(Keys.ForSubmission("s", SubmissionId), Keys.ForSubmission("s", SubmissionId.ToUpperInvariant()));
        Assert.Equal(Keys.ForResponse("s", SubmissionId), Keys.ForResponse("s", SubmissionId.ToUpperInvariant()));
        // The recipient's key and the unsubscribe key are made from the same normal form as intake stores.
        Assert.Equal(Keys.ForRecipient("s", "jo@example.gov.uk"), Keys.ForRecipient("s", "  Jo@Example.GOV.uk "));
        Assert.Equal(Keys.ForUnsubscribe("jo@example.gov.uk"), Keys.ForUnsubscribe(" JO@example.gov.UK"));
    }

    [Fact]
    public void Keys_DependOnTheSurveyAndTheSecret()
    {
        var other = new PrivacyKeys(Options.Create(new PrivacyOptions { Secret = Secret + "-other" }));
        Assert.NotEqual(Keys.ForResponse("survey-a", SubmissionId), Keys.ForResponse("survey-b", SubmissionId));
        Assert.NotEqual(Keys.ForResponse("survey-a", SubmissionId), other.ForResponse("survey-a", SubmissionId));
        Assert.NotEqual(Keys.ForRecipient("survey-a", "jo@example.gov.uk"), Keys.ForRecipient("survey-b", "jo@example.gov.uk"));
    }
}
