using System.Text.Json;
using System.Text.RegularExpressions;
using SurveyBackend.Languages;

namespace SurveyBackend.Tests.Unit.Languages;

public partial class UiTextTests
{
    public static TheoryData<string> Languages => [.. UiText.Supported];

    [Theory]
    [MemberData(nameof(Languages))]
    public void EveryLanguage_HasExactlyTheKeysOfEnglish(string language)
    {
        var english = Keys(UiText.English);
        var other = Keys(language);
        Assert.Empty(english.Except(other));
        Assert.Empty(other.Except(english));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void EveryString_IsNonEmpty_AndHasThePlaceholdersOfEnglish(string language)
    {
        var text = UiText.For(language);
        var english = UiText.For(UiText.English);
        foreach (var (key, value) in text.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(value), $"{language} '{key}' is empty.");
            Assert.Equal(Placeholders(english[key]), Placeholders(value));
        }
    }

    [Fact]
    public void Welsh_TranslatesEveryString_ButTheOnesTheSameInBothOnPurpose()
    {
        var english = UiText.For(UiText.English);
        var same = UiText.For(UiText.Welsh).All.Where(p => p.Value == english[p.Key]).Select(p => p.Key).Order().ToList();
        Assert.Equal(["compare.hidden"], same);
    }

    [Fact]
    public void Welsh_UsesTheGovUkPhrasing_ForTheErrorSummaryAndOptionalFields()
    {
        var welsh = UiText.For(UiText.Welsh);
        Assert.Equal("Mae problem wedi codi", welsh["form.errorSummary"]);
        Assert.Contains("(dewisol)", welsh["form.emailLabel"], StringComparison.Ordinal);
        Assert.Equal("Cymraeg", welsh["language.name"]);
        Assert.Equal(12, welsh["date.months"].Split(',').Length);
    }

    [Fact]
    public void MissingKey_Throws_RatherThanFallingBackToEnglish()
    {
        Assert.Throws<KeyNotFoundException>(() => UiText.For(UiText.Welsh)["no.such.key"]);
        Assert.Throws<ArgumentException>(() => UiText.For("fr"));
    }

    [Theory]
    [InlineData("cy", null, "cy")]
    [InlineData(null, "cy-GB,en;q=0.5", "cy")]
    [InlineData(null, "en-GB,cy;q=0.9", "en")]
    [InlineData(null, "fr,cy;q=0.2", "cy")]
    [InlineData("fr", "cy", "cy")]
    [InlineData("CY", null, "cy")]
    [InlineData(null, null, "en")]
    [InlineData(null, "cy;q=0", "en")]
    public void Choose_TakesTheNamedLanguage_ThenAcceptLanguage_ThenEnglish(string? asked, string? header, string expected) =>
        Assert.Equal(expected, LanguageChoice.Choose(asked, header));

    [Fact]
    public void Choose_NeverPicksALanguageTheSurveyDoesNotOffer() =>
        Assert.Equal("en", LanguageChoice.Choose("cy", "cy", offered: ["en"]));

    private static HashSet<string> Keys(string language) =>
        [.. JsonSerializer.Deserialize<Dictionary<string, string>>(UiText.ResourceJson(language))!.Keys];

    private static string[] Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{[a-zA-Z]+\}")]
    private static partial Regex Placeholder();
}
