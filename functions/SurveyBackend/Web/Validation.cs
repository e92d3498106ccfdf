using System.Text.Json;

namespace SurveyBackend.Web;

/// <summary>Field path → messages, the <c>errors</c> member of a validation problem.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public void Add(string path, string message)
    {
        if (!_errors.TryGetValue(path, out var messages))
        {
            _errors[path] = messages = [];
        }
        if (!messages.Contains(message)) messages.Add(message);
    }

    /// <summary>
    /// Adds each of <paramref name="later"/>'s faults whose path, and every path above it, has none here yet: the rules'
    /// faults after the reading's, so a value that could not be read is reported once, for its reading.
    /// </summary>
    public void AddUnlessFaulted(ValidationErrors later)
    {
        var faulted = _errors.Keys.ToList();
        foreach (var (path, messages) in later._errors)
        {
            if (faulted.Any(f => IsAtOrBeneath(path, f))) continue;
            foreach (var message in messages) Add(path, message);
        }
    }

    private static bool IsAtOrBeneath(string path, string ancestor) =>
        path == ancestor || ancestor.Length == 0
        || path.Length > ancestor.Length && path.StartsWith(ancestor, StringComparison.Ordinal) && path[ancestor.Length] is '.' or '[';

    public IDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}

/// <summary>A value, or the validation errors that stopped it.</summary>
public sealed class Validated<T> where T : class
{
    private Validated(T? value, ValidationErrors? errors) => (Value, Errors) = (value, errors ?? new ValidationErrors());

    public T? Value { get; }
    public ValidationErrors Errors { get; }
    public bool IsValid => Value is not null;

    public static Validated<T> Ok(T value) => new(value, null);
    public static Validated<T> Fail(ValidationErrors errors) => new(null, errors);

    public static Validated<T> Fail(string path, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(path, message);
        return new(null, errors);
    }
}

public static class JsonPaths
{
    /// <summary>
    /// Where a JSON document went wrong and what to say about it, without echoing internals
    /// (no type names, no byte offsets). Malformed JSON is reported against the whole body ("").
    /// </summary>
    public static (string Path, string Message) Describe(JsonException exception)
    {
        var message = exception.Message;
        var path = ToFieldPath(exception.Path);
        if (message.Contains("could not be mapped", StringComparison.Ordinal)) return (path, "This property is not allowed.");
        if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase)) return (path, "This property appears more than once.");
        if (message.Contains("could not be converted", StringComparison.Ordinal)) return (path, "This value has the wrong type or format.");
        return ("", "The body is not valid JSON.");
    }

    /// <summary>"$.questions[0].type" → "questions[0].type"; the document itself is "".</summary>
    public static string ToFieldPath(string? jsonPath)
    {
        var path = jsonPath ?? "$";
        return path == "$" ? "" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }
}
