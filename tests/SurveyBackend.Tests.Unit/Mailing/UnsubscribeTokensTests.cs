using Microsoft.Extensions.Options;
using SurveyBackend.Mailing;
using SurveyBackend.Privacy;

namespace SurveyBackend.Tests.Unit.Mailing;

public sealed class UnsubscribeTokensTests
{
    private static UnsubscribeTokens Tokens(string secret = "a-test-secret-that-is-at-least-32-characters-long")
    {
        var options = Options.Create(new PrivacyOptions { Secret = secret });
        return new UnsubscribeTokens(options, new PrivacyKeys(options));
    }

    [Fact]
    public void Create_ThenRead_GivesTheAddressKey_OfTheNormalisedAddress()
    {
        var tokens = Tokens();
        var token = tokens.Create(" Jo@Example.gov.uk ");

        Assert.True(tokens.TryRead(token, out var key));
        Assert.Equal(tokens.AddressKey("jo@example.gov.uk"), key);
        Assert.DoesNotContain("jo", token, StringComparison.OrdinalIgnoreCase);
        Assert.Matches("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$", token);
    }

    [Fact]
    public void TryRead_TokenMadeWithAnotherSecret_IsRefused()
    {
        var forged = Tokens("another-secret-that-is-also-at-least-32-characters").Create("jo@example.gov.uk");

        Assert.False(Tokens().TryRead(forged, out _));
    }

    [Fact]
    public void TryRead_AnyAlteredCharacter_IsRefused()
    {
        var tokens = Tokens();
        var token = tokens.Create("jo@example.gov.uk");
        for (var i = 0; i < token.Length; i++)
        {
            if (token[i] == '.') continue;
            var altered = token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..];
            Assert.False(tokens.TryRead(altered, out _), $"altered at {i}");
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("abc")]
    [InlineData("a.b.c")]
    [InlineData("YWJj.YWJj")]
    [InlineData("!!!!.????")]
    public void TryRead_Malformed_IsRefused(string? token)
    {
        Assert.False(Tokens().TryRead(token, out _));
    }

    [Fact]
    public void TryRead_PaddedOrNonCanonicalEncoding_IsRefused()
    {
        var tokens = Tokens();
        var token = tokens.Create("jo@example.gov.uk");

        Assert.False(tokens.TryRead(token + "=", out _));
        Assert.False(tokens.TryRead(token.Replace('-', '+').Replace('_', '/'), out _) && token.Contains('-'));
    }
}
