using Microsoft.Extensions.Options;
using SurveyBackend.Privacy;

namespace SurveyBackend.Tests.Unit.Privacy;

public sealed class RecipientSealTests
{
    private static RecipientSeal Seal(string secret = "a-test-secret-that-is-long-enough-for-hmac") =>
        new(Options.Create(new PrivacyOptions { Secret = secret }));

    [Fact]
    public void Open_ReturnsTheSealedAddress_AndTheBlobDoesNotContainIt()
    {
        var seal = Seal();
        var blob = seal.Seal("survey-a", "jo@example.gov.uk");
        Assert.DoesNotContain("jo@", blob, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("example", Convert.FromBase64String(blob).Select(b => (char)b).Aggregate("", (s, c) => s + c), StringComparison.Ordinal);
        Assert.Equal("jo@example.gov.uk", seal.Open("survey-a", blob));
    }

    [Fact]
    public void Seal_TwiceGivesDifferentBlobs_SoEqualAddressesCannotBeMatched()
    {
        var seal = Seal();
        Assert.NotEqual(seal.Seal("s", "jo@example.org"), seal.Seal("s", "jo@example.org"));
    }

    [Fact]
    public void Open_WithAnotherSurveyOrSecretOrTamperedBlob_ReturnsNull()
    {
        var blob = Seal().Seal("survey-a", "jo@example.org");
        Assert.Null(Seal().Open("survey-b", blob));
        Assert.Null(Seal("another-secret-that-is-long-enough-too-x").Open("survey-a", blob));
        var bytes = Convert.FromBase64String(blob);
        bytes[^1] ^= 1;
        Assert.Null(Seal().Open("survey-a", Convert.ToBase64String(bytes)));
        Assert.Null(Seal().Open("survey-a", "not base64!"));
        Assert.Null(Seal().Open("survey-a", "AAAA"));
    }
}
