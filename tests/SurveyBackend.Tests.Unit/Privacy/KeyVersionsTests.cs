using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SurveyBackend.Mailing;
using SurveyBackend.Privacy;

namespace SurveyBackend.Tests.Unit.Privacy;

/// <summary>
/// The secret rotated (issue #26 §6): the current secret makes every new key and token; earlier ones
/// (<c>Anonymity__PreviousSecrets</c>) still match what they made. And hashes made before Unicode normalisation (§4) still match.
/// </summary>
public sealed class KeyVersionsTests
{
    private const string Old = "the-secret-before-the-rotation-of-at-least-32-chars";
    private const string New = "the-secret-after-the-rotation-of-at-least-32-chars";
    private const string SubmissionId = "0b9f1c2e-5d7a-4f8e-9a61-3c2b7e4d9f10";

    private static PrivacyOptions Rotated => new() { Secret = New, PreviousSecrets = Old };
    private static PrivacyKeys Keys(PrivacyOptions options) => new(Options.Create(options));
    private static UnsubscribeTokens Tokens(PrivacyOptions options) => new(Options.Create(options), Keys(options));

    /// <summary>A hash computed the old way: HMAC-SHA256(secret, purpose \n parts…), hex, of the address trimmed and lower-cased.</summary>
    private static string OldWay(string secret, params string[] purposeAndParts) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(string.Join("\n", purposeAndParts))));

    [Fact]
    public void NewKeys_AreTheCurrentSecrets_AndEachEarlierSecretKeepsItsOwn()
    {
        var rotated = Keys(Rotated);
        var before = Keys(new PrivacyOptions { Secret = Old });
        var after = Keys(new PrivacyOptions { Secret = New });

        Assert.Equal(after.ForSubmission("s", SubmissionId), rotated.ForSubmission("s", SubmissionId));
        Assert.Equal(after.ForResponse("s", SubmissionId), rotated.ForResponse("s", SubmissionId));
        Assert.Equal(after.ForUnsubscribe("jo@example.org"), rotated.ForUnsubscribe("jo@example.org"));
        Assert.Equal([0, 1], rotated.Versions.Select(v => v.Index));
        Assert.True(rotated.Versions[0].IsCurrent);
        Assert.Equal(before.ForSubmission("s", SubmissionId), rotated.Versions[1].ForSubmission("s", SubmissionId));
        Assert.Equal(before.ForResponse("s", SubmissionId), rotated.Versions[1].ForResponse("s", SubmissionId));
        Assert.Equal(before.ForRecipient("s", "jo@example.org"), rotated.Versions[1].ForRecipient("s", "jo@example.org"));
    }

    [Fact]
    public void AnUnsubscribeStoredUnderAnEarlierSecret_OrTheOldNormalForm_StillMatches()
    {
        var rotated = Keys(Rotated);
        // ASCII: one normal form, two secrets.
        Assert.Contains(OldWay(Old, "unsubscribe", "jo@example.org"), rotated.UnsubscribeKeys("Jo@Example.org"));
        Assert.Contains(OldWay(New, "unsubscribe", "jo@example.org"), rotated.UnsubscribeKeys("Jo@Example.org"));
        Assert.Equal(2, rotated.UnsubscribeKeys("Jo@Example.org").Count);
        // An international address was hashed lower-cased with its Unicode domain: matched beside its punycode form.
        var stored = OldWay(Old, "unsubscribe", "jö@müller.de");
        Assert.Contains(stored, rotated.UnsubscribeKeys("Jö@Müller.de"));
        Assert.Contains(stored, Keys(new PrivacyOptions { Secret = Old }).UnsubscribeKeys("jö@MÜLLER.de"));
        Assert.NotEqual(stored, rotated.Versions[1].ForUnsubscribe("jö@müller.de"));
        Assert.Equal(4, rotated.UnsubscribeKeys("jö@müller.de").Count);
        Assert.Contains(OldWay(Old, "recipient", "s", "jö@müller.de"), rotated.RecipientKeys("s", "Jö@müller.de"));
    }

    [Fact]
    public void OneRecipientAndOneUnsubscribe_WhateverTheLetterCase()
    {
        var keys = Keys(Rotated);
        Assert.Equal(keys.ForRecipient("s", "jo@example.org"), keys.ForRecipient("s", "JO@Example.Org"));
        Assert.Equal(keys.ForUnsubscribe("jö@müller.de"), keys.ForUnsubscribe("JÖ@MÜLLER.DE"));
    }

    [Fact]
    public void ALinkInMailSentBeforeTheRotation_StillUnsubscribes_AndNewLinksUseTheNewSecret()
    {
        var oldLink = Tokens(new PrivacyOptions { Secret = Old }).Create("jo@example.org");
        var tokens = Tokens(Rotated);

        Assert.True(tokens.TryRead(oldLink, out var oldKey));
        Assert.True(tokens.IsAddressKeyOf("jo@example.org", oldKey));
        Assert.True(tokens.IsSuppressed("JO@example.org", new HashSet<string> { oldKey }));

        var newLink = tokens.Create("jo@example.org");
        Assert.True(Tokens(new PrivacyOptions { Secret = New }).TryRead(newLink, out var newKey));
        Assert.False(Tokens(new PrivacyOptions { Secret = Old }).TryRead(newLink, out _));
        Assert.NotEqual(oldKey, newKey);
        Assert.True(tokens.IsAddressKeyOf("jo@example.org", newKey));
        Assert.False(tokens.IsAddressKeyOf("someone@example.org", oldKey));
    }

    [Fact]
    public void WithoutThePreviousSecret_TheOldLinkIsRefused()
    {
        var oldLink = Tokens(new PrivacyOptions { Secret = Old }).Create("jo@example.org");
        Assert.False(Tokens(new PrivacyOptions { Secret = New }).TryRead(oldLink, out _));
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData("", 1)]
    [InlineData(Old, 2)]
    [InlineData(" " + Old + " ,\n another-earlier-secret-of-at-least-32-chars ", 3)]
    public void PreviousSecrets_AreAList_NewestFirst(string? previous, int count)
    {
        var options = new PrivacyOptions { Secret = New, PreviousSecrets = previous };
        Assert.Null(options.PreviousSecretsFault());
        Assert.Equal(count, options.AllSecrets().Count);
        Assert.Equal(New, options.AllSecrets()[0]);
    }

    [Theory]
    [InlineData("too-short")]
    [InlineData(New)]
    [InlineData(Old + "," + Old)]
    public void PreviousSecrets_ThatCannotBeUsed_StopTheApp(string previous) =>
        Assert.NotNull(new PrivacyOptions { Secret = New, PreviousSecrets = previous }.PreviousSecretsFault());
}
