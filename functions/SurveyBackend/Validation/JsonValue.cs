using System.Globalization;
using System.Text.Json;
using SurveyBackend.Languages;

namespace SurveyBackend.Validation;

/// <summary>
/// A text as written: a plain string (English), or an object of language → text (<c>{ "en": "…", "cy": "…" }</c>), the
/// shape of every text a survey owner writes (a definition's, a report's). English is kept apart so the rules can say
/// it is missing; <see cref="ByLanguage"/> holds the other supported languages given.
/// </summary>
public sealed record LocalizedText(string? English, IReadOnlyDictionary<string, string> ByLanguage)
{
    /// <summary>Given as a plain string, not as an object of languages.</summary>
    public bool IsPlain { get; init; }
}

/// <summary>
/// One value of a body at its path (possibly missing). Each reader gives the value, or null: missing, JSON null (unless
/// <c>nullable: false</c>), or a wrong type (then with a fault at <see cref="Path"/>). Requiring a value is for the rules.
/// </summary>
public readonly struct JsonValue(JsonElement element, string path, JsonFaults faults, string name)
{
    public string Path => path;
    public string Name => name;
    public bool IsMissing => element.ValueKind == JsonValueKind.Undefined;
    public bool IsNull => element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;
    public JsonValueKind Kind => element.ValueKind;
    public UiText Text => faults.Text;

    /// <summary>Records a fault at this value's path, in the reading's language.</summary>
    public void Fault(string key) => faults.Add(path, key);

    public string? String(string typeKey = "error.stringType", bool nullable = true) =>
        Take(JsonValueKind.String, typeKey, nullable) ? element.GetString() : null;

    public bool? Bool(string typeKey = "error.boolType", bool nullable = true) =>
        element.ValueKind is JsonValueKind.True or JsonValueKind.False ? element.GetBoolean() : Refuse<bool>(typeKey, nullable);

    /// <summary>A whole number that fits an int (<c>5</c>; not <c>5.5</c> or <c>"5"</c>).</summary>
    public int? Int(string typeKey = "error.wholeNumber", bool nullable = true) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var number) ? number : Refuse<int>(typeKey, nullable);

    /// <summary>An ISO-8601 date and time with an offset: a bare local time would mean different instants to different people.</summary>
    public DateTimeOffset? Date(bool nullable = true)
    {
        if (element.ValueKind == JsonValueKind.String && TryParseDate(element.GetString()!, out var date)) return date;
        return Refuse<DateTimeOffset>("error.dateType", nullable);
    }

    /// <summary>One of a fixed set of strings (an enum's wire names), matched exactly.</summary>
    public T? OneOf<T>(IReadOnlyDictionary<string, T> values, bool nullable = true) where T : struct
    {
        if (element.ValueKind == JsonValueKind.String && values.TryGetValue(element.GetString()!, out var value)) return value;
        if (IsMissing || IsNull && nullable) return null;
        faults.Errors.Add(path, Text.Format("error.oneOf", ("values", string.Join(", ", values.Keys))));
        return null;
    }

    public JsonObjectReader? Object(string typeKey = "error.objectType", bool nullable = true) =>
        Take(JsonValueKind.Object, typeKey, nullable) ? new JsonObjectReader(element, path, faults) : null;

    /// <summary>A list, each item read by <paramref name="item"/> at its path (<c>options[2]</c>).</summary>
    public List<T>? List<T>(Func<JsonValue, T> item, string typeKey = "error.listType", bool nullable = true)
    {
        if (!Take(JsonValueKind.Array, typeKey, nullable)) return null;
        var items = new List<T>();
        var i = 0;
        foreach (var element1 in element.EnumerateArray()) items.Add(item(new JsonValue(element1, $"{path}[{i++}]", faults, name)));
        return items;
    }

    /// <summary>
    /// A <see cref="LocalizedText"/>: a string, or an object whose every name is a supported language and every value a
    /// string (each fault at its language's path, <c>title.cy</c>). Whether English or a declared language is there is
    /// for the caller's rules.
    /// </summary>
    public LocalizedText? LocalizedText(bool nullable = true)
    {
        if (element.ValueKind == JsonValueKind.String) return new(element.GetString(), new Dictionary<string, string>()) { IsPlain = true };
        if (!Take(JsonValueKind.Object, "error.textType", nullable)) return null;
        string? english = null;
        var others = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var language in new JsonObjectReader(element, path, faults).Properties())
        {
            if (!UiText.IsSupported(language.Name))
            {
                faults.Errors.Add(language.Path, Text.Format("error.language", ("languages", string.Join(", ", UiText.Supported))));
                continue;
            }
            if (language.String(nullable: false) is not { } text) continue;
            if (language.Name == UiText.English) english = text;
            else others[language.Name] = text;
        }
        return new(english, others);
    }

    public static bool TryParseDate(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text,
            ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK"],
            CultureInfo.InvariantCulture, DateTimeStyles.None, out value)
        && (text.EndsWith('Z') || text.Length > 6 && text[^6] is '+' or '-');

    private bool Take(JsonValueKind kind, string typeKey, bool nullable)
    {
        if (element.ValueKind == kind) return true;
        Refuse<bool>(typeKey, nullable);
        return false;
    }

    // Whether a value is required is for the caller's rules: a missing one is only null here.
    private T? Refuse<T>(string typeKey, bool nullable) where T : struct
    {
        if (!IsMissing && !(IsNull && nullable)) faults.Add(path, typeKey);
        return null;
    }
}
