using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace SurveyBackend.Languages;

/// <summary>
/// Which language to answer in: the one asked for by name (<c>?lang=</c>, a <c>lang</c> field, <c>data-lang</c>) if it
/// is offered, else the best of <c>Accept-Language</c> that is offered, else English. A survey offers the languages it
/// declares, so a Welsh page never falls back to English survey text.
/// </summary>
public static class LanguageChoice
{
    public static string Choose(string? asked, string? acceptLanguage, IReadOnlyList<string>? offered = null) =>
        Given(asked, acceptLanguage, offered) ?? UiText.English;

    /// <summary>As <see cref="Choose"/>, but null when neither names a language offered: the respondent gave none.</summary>
    public static string? Given(string? asked, string? acceptLanguage, IReadOnlyList<string>? offered = null)
    {
        offered ??= UiText.Supported;
        var named = Normalise(asked);
        if (named is not null && offered.Contains(named)) return named;
        if (!string.IsNullOrWhiteSpace(acceptLanguage)
            && StringWithQualityHeaderValue.TryParseList(acceptLanguage.Split(','), out var ranges))
        {
            var best = ranges
                .Select((r, i) => (Language: Normalise(r.Value.Value), Quality: r.Quality ?? 1, Order: i))
                .Where(r => r.Quality > 0 && r.Language is not null && offered.Contains(r.Language))
                .OrderByDescending(r => r.Quality).ThenBy(r => r.Order)
                .FirstOrDefault();
            if (best.Language is not null) return best.Language;
        }
        return null;
    }

    /// <summary>"cy-GB", "CY" → "cy"; anything that is not a language tag → null.</summary>
    public static string? Normalise(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag)) return null;
        var primary = tag.Trim().Split('-', 2)[0].ToLower(CultureInfo.InvariantCulture);
        return primary.Length is >= 2 and <= 3 && primary.All(char.IsAsciiLetterLower) ? primary : null;
    }
}
