using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using SurveyBackend.Privacy;
using SurveyBackend.Storage;

namespace SurveyBackend.Tests.Unit.Anonymity;

public sealed partial class PendingRecipientKeyTests
{
    private static readonly PrivacyKeys Keys = new(Options.Create(new PrivacyOptions { Secret = "a-test-secret-that-is-long-enough-for-hmac" }));

    [Fact]
    public void AWaitingKey_IsAKeyedHashOfTheSubmission_TheSameOnARetry_AndNothingElse()
    {
        var key = Keys.ForWaiting("survey", "submission-key");
        Assert.Matches(Hex64(), key);
        Assert.Equal(key, Keys.ForWaiting("survey", "submission-key"));
        Assert.NotEqual(key, Keys.ForWaiting("survey", "another-key"));
        Assert.NotEqual(key, Keys.ForWaiting("another-survey", "submission-key"));
        // Not the raw row's key, nor the response's, for the same submission.
        Assert.DoesNotContain(key, new[] { Keys.ForSubmission("survey", "submission-key"), Keys.ForResponse("survey", "submission-key") });
        Assert.StartsWith(PendingRecipientStore.WaitingPrefix, PendingRecipientStore.WaitingRow("survey", new WaitingAddress(key, "sealed")).RowKey);
    }

    [Fact]
    public void KeysMadeAtOneMoment_SayNothingOfIt_AndRandomKeysAreDistinct()
    {
        Assert.Equal(1000, Enumerable.Range(0, 1000).Select(_ => PendingRecipientStore.RandomKey()).Distinct().Count());
        Assert.All(Enumerable.Range(0, 100).Select(_ => PendingRecipientStore.RandomKey()), k => Assert.Matches(Hex64(), k));
    }

    [Theory]
    [InlineData("r|0639080368820000000|27ce93886e9dd04f", true)]
    [InlineData("r|anything", true)]
    [InlineData("u|0639080368820000000|27ce93886e9dd04f", true)]
    [InlineData("u|27ce93886e9dd04f27ce93886e9dd04f27ce93886e9dd04f27ce93886e9dd04f", false)]
    [InlineData("w|27ce93886e9dd04f27ce93886e9dd04f27ce93886e9dd04f27ce93886e9dd04f", false)]
    [InlineData("m|report-id", false)]
    public void KeysOfTheOlderLayout_AreThoseUnderR_AndThoseThatHoldAnArrivalTime(string rowKey, bool legacy) =>
        Assert.Equal(legacy, PendingRecipientStore.IsLegacy(rowKey));

    [Fact]
    public void AnUnreadableAddress_IsSetAsideUnderTheSameRestOfItsKey() =>
        Assert.Equal("u|abc", PendingRecipientStore.UnreadableKeyFor("w|abc"));

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Hex64();
}
