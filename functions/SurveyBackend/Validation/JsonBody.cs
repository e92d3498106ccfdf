using System.Text.Json;
using System.Text.Unicode;
using SurveyBackend.Languages;

namespace SurveyBackend.Validation;

/// <summary>What an object body read into, and every fault the reading found at its path (the rules add theirs after).</summary>
public sealed record JsonRead<T>(T Value, ValidationErrors Faults);

/// <summary>
/// The one reader of the app's JSON bodies, by hand, so that every fault is recorded at its own path instead of stopping
/// at the first, as a deserializer would; in the language it is given (docs/architecture.md, "One JSON reader").
/// </summary>
public static class JsonBody
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    /// <summary>
    /// The body read by <paramref name="read"/>, or (only when the body is not a JSON object at all) the fault that stops
    /// it. <paramref name="text"/> may be swapped inside <paramref name="read"/> (<see cref="JsonFaults.Text"/>), as the
    /// submission does once it knows the respondent's language.
    /// </summary>
    public static Validated<JsonRead<T>> Read<T>(ReadOnlyMemory<byte> body, UiText text, Func<JsonObjectReader, T> read)
    {
        // JsonDocument checks strings' UTF-8 only when they are read; check it all here, so no read throws later.
        if (!Utf8.IsValid(body.Span)) return Validated<JsonRead<T>>.Fail("", text["error.notUtf8"]);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException)
        {
            return Validated<JsonRead<T>>.Fail("", text["error.notJson"]);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) return Validated<JsonRead<T>>.Fail("", text["error.notObject"]);
            var faults = new JsonFaults(text);
            var value = read(new JsonObjectReader(document.RootElement, "", faults));
            return Validated<JsonRead<T>>.Ok(new JsonRead<T>(value, faults.Errors));
        }
    }

    /// <summary>The path of a property under <paramref name="parent"/>: <c>name</c> at the top, else <c>parent.name</c>.</summary>
    public static string Child(string parent, string name) => parent.Length == 0 ? name : parent + "." + name;
}

/// <summary>Where a reading records its faults, and the language it says them in.</summary>
public sealed class JsonFaults(UiText text)
{
    public ValidationErrors Errors { get; } = new();
    public UiText Text { get; set; } = text;

    public void Add(string path, string key) => Errors.Add(path, Text[key]);
}

/// <summary>One JSON object of a body at its path. Its properties are read once each: a repeated name is a fault.</summary>
public readonly struct JsonObjectReader(JsonElement element, string path, JsonFaults faults)
{
    public string Path => path;
    public JsonFaults Faults => faults;

    /// <summary>Every property in order, each name once (a repeat is a fault at its path and is skipped).</summary>
    public IEnumerable<JsonValue> Properties()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var at = JsonBody.Child(path, property.Name);
            if (seen.Add(property.Name)) yield return new JsonValue(property.Value, at, faults, property.Name);
            else faults.Add(at, "error.repeated");
        }
    }

    /// <summary>The first property of this name, read without recording anything (the submission's <c>lang</c>, read first).</summary>
    public JsonValue Peek(string name) =>
        new(element.TryGetProperty(name, out var value) ? value : default, JsonBody.Child(path, name), faults, name);

    /// <summary>
    /// The properties an object of a fixed shape may have, by name; any other is a fault ("not allowed"). A name asked for
    /// and not given reads as missing.
    /// </summary>
    public JsonFields Fields(params string[] allowed)
    {
        var given = new Dictionary<string, JsonValue>(StringComparer.Ordinal);
        foreach (var property in Properties())
        {
            if (allowed.Contains(property.Name, StringComparer.Ordinal)) given[property.Name] = property;
            else faults.Add(property.Path, "error.notAllowed");
        }
        return new JsonFields(given, path, faults);
    }
}

/// <summary>The named properties of one object (<see cref="JsonObjectReader.Fields"/>).</summary>
public sealed class JsonFields(Dictionary<string, JsonValue> given, string path, JsonFaults faults)
{
    public JsonValue this[string name] =>
        given.TryGetValue(name, out var value) ? value : new JsonValue(default, JsonBody.Child(path, name), faults, name);

    public bool Has(string name) => given.ContainsKey(name);
}
