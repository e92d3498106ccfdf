namespace SurveyBackend.Validation;

/// <summary>
/// Field path → messages, the <c>errors</c> member of a validation problem. <see cref="Count"/> is the number of paths
/// with a fault; enumerating gives each path with its messages, in the order first found.
/// </summary>
public sealed class ValidationErrors : IReadOnlyCollection<KeyValuePair<string, IReadOnlyList<string>>>
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public int Count => _errors.Count;

    public bool Contains(string path) => _errors.ContainsKey(path);

    public IEnumerator<KeyValuePair<string, IReadOnlyList<string>>> GetEnumerator() =>
        _errors.Select(e => KeyValuePair.Create(e.Key, (IReadOnlyList<string>)e.Value)).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public void Add(string path, string message)
    {
        if (!_errors.TryGetValue(path, out var messages))
        {
            _errors[path] = messages = [];
        }
        if (!messages.Contains(message)) messages.Add(message);
    }

    /// <summary>
    /// The reading's faults, then each of the rules' on a branch the reading found no fault on (not at, beneath or above
    /// one): a value that could not be read is reported once, for its reading, not again by a rule that found it missing.
    /// </summary>
    public static ValidationErrors Combine(ValidationErrors reading, ValidationErrors rules)
    {
        var all = new ValidationErrors();
        foreach (var (path, messages) in reading._errors)
            foreach (var message in messages) all.Add(path, message);
        foreach (var (path, messages) in rules._errors)
        {
            if (reading._errors.Keys.Any(faulted => IsAtOrBeneath(path, faulted) || IsAtOrBeneath(faulted, path))) continue;
            foreach (var message in messages) all.Add(path, message);
        }
        return all;
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
