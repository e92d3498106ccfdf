using SurveyBackend.Surveys;

namespace SurveyBackend.Aggregation;

/// <summary>
/// A survey as its results report it: each reporting group stands in for its options everywhere, applied when results
/// are built, so suppression protects the grouped figures and no group sits beside its members (docs/results.md).
/// </summary>
public sealed class ReportingView
{
    private readonly Dictionary<string, Dictionary<string, string>> _groupOf; // question → option → group id

    private ReportingView(SurveyDefinition reported, Dictionary<string, Dictionary<string, string>> groupOf)
    {
        Definition = reported;
        _groupOf = groupOf;
    }

    /// <summary>The definition with each group as one option (at its first member's place), named by the group's text.</summary>
    public SurveyDefinition Definition { get; }

    public static ReportingView Of(SurveyDefinition definition)
    {
        var groupOf = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        if (definition.ReportingGroups is not { Count: > 0 } groups) return new ReportingView(definition, groupOf);

        var questions = definition.Questions.Select(question =>
        {
            if (!groups.TryGetValue(question.Id, out var ofQuestion) || ofQuestion.Count == 0) return question;
            var map = ofQuestion.SelectMany(g => g.Options.Select(o => (Option: o, Group: g.Id))).ToDictionary(x => x.Option, x => x.Group, StringComparer.Ordinal);
            groupOf[question.Id] = map;

            var options = new List<QuestionOption>();
            var placed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var optionId in question.ChoosableOptionIds)
            {
                if (map.TryGetValue(optionId, out var groupId))
                {
                    if (placed.Add(groupId)) options.Add(new QuestionOption { Id = groupId, Text = ofQuestion.First(g => g.Id == groupId).Text });
                }
                else if (optionId != SurveyRules.OtherOptionId)
                {
                    options.Add(question.Options.First(o => o.Id == optionId));
                }
            }
            // "Other" stays the question's own free-text option unless a group took it.
            return question with { Options = options, AllowOther = question.AllowOther && !map.ContainsKey(SurveyRules.OtherOptionId) };
        }).ToList();

        return new ReportingView(definition with { Questions = questions, Translations = AsOptions(definition.Translations, groupOf) }, groupOf);
    }

    /// <summary>
    /// A group reported as an option is read in another language as an option (<c>In</c> looks up option keys), so
    /// each language's group text is copied to the option key of the reported question.
    /// </summary>
    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? AsOptions(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? translations, Dictionary<string, Dictionary<string, string>> groupOf) =>
        translations?.ToDictionary(language => language.Key, language =>
        {
            var texts = new Dictionary<string, string>(language.Value, StringComparer.Ordinal);
            foreach (var (questionId, map) in groupOf)
                foreach (var groupId in map.Values.Distinct(StringComparer.Ordinal))
                    if (language.Value.TryGetValue(TextKeys.Group(questionId, groupId), out var text)) texts[TextKeys.Option(questionId, groupId)] = text;
            return (IReadOnlyDictionary<string, string>)texts;
        }, StringComparer.Ordinal);

    /// <summary>Counts as counted (per option) turned into counts as reported (per group).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Map(IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> counts)
    {
        if (_groupOf.Count == 0) return counts;
        var mapped = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        foreach (var (scope, counters) in counts)
        {
            var target = mapped.TryGetValue(MapScope(scope), out var existing) ? existing : mapped[MapScope(scope)] = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (counter, value) in counters)
            {
                var name = MapCounter(counter);
                target[name] = target.GetValueOrDefault(name) + value;
            }
        }
        return mapped.ToDictionary(m => m.Key, m => (IReadOnlyDictionary<string, long>)m.Value, StringComparer.Ordinal);
    }

    private string MapScope(string scope) =>
        Tally.TryParseSegmentScope(scope, out var question, out var option) && Group(question, option) is { } group
            ? Tally.SegmentScope(question, group)
            : scope;

    private string MapCounter(string counter) =>
        Tally.TryParseChose(counter, out var question, out var option) && Group(question, option) is { } group
            ? Tally.Chose(question, group)
            : counter;

    private string? Group(string question, string option) =>
        _groupOf.TryGetValue(question, out var map) && map.TryGetValue(option, out var group) ? group : null;
}
