using System.Net;
using System.Text.RegularExpressions;
using SurveyBackend.Languages;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Unit.Languages;

/// <summary>What the Welsh-page checks share: the sample survey, and the English UI strings a Welsh page must not show.</summary>
internal static partial class WelshPages
{
    /// <summary>
    /// Strings the same in both languages on purpose: the language switch names English in English (it is a
    /// proper noun, marked lang="en"), the dash of a hidden figure is a symbol, and so is the "n =" of a chart's
    /// number who answered (the statistical convention in both languages).
    /// </summary>
    public static readonly HashSet<string> SameInBoth = new(StringComparer.Ordinal) { "English", "–", "n =" };

    public static SurveyDefinition Sample()
    {
        var parsed = SurveyRules.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples", "social-media-in-local-government.json")), "social-media-in-local-government");
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors.ToDictionary().Select(e => e.Key + ": " + string.Join(" ", e.Value))));
        return parsed.Value!;
    }

    /// <summary>Every English UI string with its placeholders cut out, as the pieces that would show on a page.</summary>
    public static IReadOnlyList<string> EnglishPieces() =>
        [.. UiText.For(UiText.English).All
            .Where(p => p.Key != "date.months")
            .SelectMany(p => Placeholder().Split(p.Value))
            .Select(s => s.Trim(' ', '.', ':', '(', ')', '…'))
            .Where(s => s.Length >= 2 && !SameInBoth.Contains(s))
            .Distinct(StringComparer.Ordinal)];

    /// <summary>The text nodes and the text-bearing attributes of an HTML page, decoded, each trimmed.</summary>
    public static IReadOnlyList<string> TextsOf(string html)
    {
        var withoutCode = StyleOrScript().Replace(html, "");
        var texts = Tag().Split(withoutCode).Select(t => WebUtility.HtmlDecode(t).Trim()).Where(t => t.Length > 0).ToList();
        texts.AddRange(TextAttribute().Matches(withoutCode).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value).Trim()));
        return texts;
    }

    /// <summary>English UI strings found on the page: any text node that is, or contains, one of them.</summary>
    public static IReadOnlyList<string> EnglishOn(string html)
    {
        var pieces = EnglishPieces();
        return [.. TextsOf(html).Where(t => !SameInBoth.Contains(t))
            .SelectMany(t => pieces.Where(p => t.Equals(p, StringComparison.Ordinal) || (p.Contains(' ') && t.Contains(p, StringComparison.Ordinal))).Select(p => $"'{p}' in '{t}'"))];
    }

    [GeneratedRegex(@"\{[a-zA-Z]+\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"<(style|script)[^>]*>.*?</\1>", RegexOptions.Singleline)]
    private static partial Regex StyleOrScript();

    [GeneratedRegex("(?:title|aria-label|alt|placeholder)=\"([^\"]*)\"")]
    private static partial Regex TextAttribute();
}
