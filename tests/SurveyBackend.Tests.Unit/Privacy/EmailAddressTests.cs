using System.Text;
using SurveyBackend.Privacy;

namespace SurveyBackend.Tests.Unit.Privacy;

/// <summary>One normal form for every address (issue #26 §4): NFC, the domain in punycode, the case kept for mail and folded for matching.</summary>
public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("  Jo@Example.ORG ", "Jo@Example.ORG")]
    [InlineData("jö@müller.de", "jö@xn--mller-kva.de")]
    [InlineData("Jo@MÜLLER.de", "Jo@xn--mller-kva.de")]
    [InlineData("jo@例え.テスト", "jo@xn--r8jz45g.xn--zckzah")]
    [InlineData("jo@xn--mller-kva.de", "jo@xn--mller-kva.de")]
    public void Normalise_IsNfcWithAPunycodeDomain_InTheCaseGiven(string given, string canonical) =>
        Assert.Equal(canonical, EmailAddress.Normalise(given));

    [Fact]
    public void Normalise_ComposesADecomposedAddress()
    {
        var decomposed = "jo\u0308@mu\u0308ller.de"; // o and u followed by a combining diaeresis
        Assert.NotEqual(decomposed, decomposed.Normalize(NormalizationForm.FormC));
        Assert.Equal("jö@xn--mller-kva.de", EmailAddress.Normalise(decomposed));
        Assert.Equal(EmailAddress.MatchKey("jö@müller.de"), EmailAddress.MatchKey(decomposed));
    }

    [Theory]
    [InlineData("Jo@Example.org", "jo@example.org")]
    [InlineData("JO@EXAMPLE.ORG", "jo@example.org")]
    [InlineData("Jö@Müller.de", "jö@müller.de")]
    [InlineData("jö@MÜLLER.DE", "jö@xn--mller-kva.de")]
    public void MatchKey_IsOneForEveryCaseAndForm(string a, string b) =>
        Assert.Equal(EmailAddress.MatchKey(a), EmailAddress.MatchKey(b));

    [Theory]
    [InlineData(" Jo.Smith+survey@Example.Gov.UK ")]
    [InlineData("JO@EXAMPLE.ORG")]
    public void ForAnAsciiAddress_TheMatchKeyIsTheOldNormalForm(string email) =>
        Assert.Equal(EmailAddress.LegacyMatchKey(email), EmailAddress.MatchKey(email));

    [Fact]
    public void ForAnInternationalAddress_TheOldNormalFormDiffers_SoItIsMatchedBeside()
    {
        Assert.Equal("jö@müller.de", EmailAddress.LegacyMatchKey("Jö@Müller.de"));
        Assert.Equal("jö@xn--mller-kva.de", EmailAddress.MatchKey("Jö@Müller.de"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Nothing_IsNull(string? email)
    {
        Assert.Null(EmailAddress.Normalise(email));
        Assert.Null(EmailAddress.MatchKey(email));
    }

    [Fact]
    public void ADomainThatDoesNotMap_IsKeptAsItIs() =>
        Assert.Equal("jo@exa_mple.org", EmailAddress.Normalise("jo@exa_mple.org"));
}
