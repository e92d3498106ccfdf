using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace SurveyBackend.Languages;

/// <summary>
/// The service's own words in one language, from <c>Languages/strings.{lang}.json</c>; the form's script gets the same
/// resources, so the server-rendered and the scripted form read alike. <c>{name}</c> marks a value for <see cref="Format"/>.
/// </summary>
public sealed class UiText
{
    public const string English = "en";
    public const string Welsh = "cy";

    /// <summary>Every language the service speaks, English first (it is the default and every survey's base).</summary>
    public static readonly IReadOnlyList<string> Supported = [English, Welsh];

    private static readonly FrozenDictionary<string, UiText> ByLanguage =
        Supported.ToFrozenDictionary(l => l, l => new UiText(l, Read(l)), StringComparer.Ordinal);

    private UiText(string language, FrozenDictionary<string, string> strings) => (Language, All) = (language, strings);

    public string Language { get; }

    /// <summary>Key → text, as the resource gives it.</summary>
    public FrozenDictionary<string, string> All { get; }

    public static UiText For(string language) =>
        ByLanguage.TryGetValue(language, out var text) ? text : throw new ArgumentException($"The language '{language}' is not supported.", nameof(language));

    public static bool IsSupported(string? language) => language is not null && ByLanguage.ContainsKey(language);

    /// <summary>A missing key is a bug (the resource tests catch it), not something to paper over with English.</summary>
    public string this[string key] =>
        All.TryGetValue(key, out var text) ? text : throw new KeyNotFoundException($"The {Language} strings have no '{key}'.");

    /// <summary>The text with each <c>{name}</c> replaced by its value (numbers in the invariant culture).</summary>
    public string Format(string key, params (string Name, object Value)[] values)
    {
        var text = this[key];
        foreach (var (name, value) in values)
            text = text.Replace("{" + name + "}", Convert.ToString(value, CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return text;
    }

    /// <summary>The subset of keys that start with <paramref name="prefix"/>, for the form's script.</summary>
    public IReadOnlyDictionary<string, string> WithPrefix(string prefix) =>
        All.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    /// <summary>The raw resource of a language, as embedded (the tests compare the languages' key sets).</summary>
    public static string ResourceJson(string language)
    {
        var assembly = typeof(UiText).Assembly;
        using var stream = assembly.GetManifestResourceStream($"SurveyBackend.Languages.strings.{language}.json")
            ?? throw new InvalidOperationException($"The strings for '{language}' are missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static FrozenDictionary<string, string> Read(string language) =>
        (JsonSerializer.Deserialize<Dictionary<string, string>>(ResourceJson(language))
            ?? throw new InvalidOperationException($"The strings for '{language}' are empty."))
        .ToFrozenDictionary(StringComparer.Ordinal);
}
