namespace SurveyBackend.Aggregation;

/// <summary>
/// What one response adds to the counters, the one place their keys are spelled (<c>seg|…</c>, <c>a|…</c>,
/// <c>o|…</c>, <c>d|…</c>; docs/anonymity.md, "Counting"). No id can hold a '|', so the keys cannot collide.
/// </summary>
public static class Tally
{
    public const string All = "all";
    public const string Respondents = "n";

    public static string SegmentScope(string questionId, string optionId) => $"seg|{questionId}|{optionId}";
    public static string Answered(string questionId) => "a|" + questionId;
    public static string Chose(string questionId, string optionId) => $"o|{questionId}|{optionId}";
    public const string DayPrefix = "d|";
    public static string Day(string day) => DayPrefix + day;

    public static bool TryParseSegmentScope(string scope, out string questionId, out string optionId) => TryParse(scope, "seg", out questionId, out optionId);

    public static bool TryParseChose(string counter, out string questionId, out string optionId) => TryParse(counter, "o", out questionId, out optionId);

    private static bool TryParse(string name, string prefix, out string questionId, out string optionId)
    {
        var parts = name.Split('|');
        var ok = parts.Length == 3 && parts[0] == prefix;
        questionId = ok ? parts[1] : "";
        optionId = ok ? parts[2] : "";
        return ok;
    }

    /// <summary>
    /// The increments for one response, by scope. Each counter of each scope goes up by one. <paramref name="day"/>
    /// (the response's yyyy-MM-dd) adds a day counter to <see cref="All"/> only: per-segment days would be finer than
    /// anyone needs. The day counters live in the scope's JSON, not as properties, so a long survey stays one row.
    /// </summary>
    public static Dictionary<string, List<string>> For(IReadOnlyDictionary<string, IReadOnlyList<string>> answers, IReadOnlyList<string> segments, string? day = null)
    {
        var counters = new List<string> { Respondents };
        foreach (var (questionId, options) in answers.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (options.Count == 0) continue;
            counters.Add(Answered(questionId));
            counters.AddRange(options.Distinct(StringComparer.Ordinal).Select(o => Chose(questionId, o)));
        }

        var scopes = new Dictionary<string, List<string>>(StringComparer.Ordinal) { [All] = day is { Length: > 0 } ? [.. counters, Day(day)] : counters };
        foreach (var segment in segments)
        {
            if (answers.TryGetValue(segment, out var chosen) && chosen.Count == 1)
                scopes[SegmentScope(segment, chosen[0])] = counters;
        }
        return scopes;
    }

    /// <summary>Adds <paramref name="counters"/> (one each) to <paramref name="into"/>.</summary>
    public static void Add(Dictionary<string, long> into, IEnumerable<string> counters)
    {
        foreach (var counter in counters) into[counter] = into.GetValueOrDefault(counter) + 1;
    }
}
