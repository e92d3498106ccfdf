using SurveyBackend.Journey;
using SurveyBackend.Validation;

namespace SurveyBackend.Surveys;

/// <summary>
/// A definition body as written (the documents below), read by <see cref="JsonBody"/>: every property the contract
/// names and no other, each fault at its path. What the values mean is for <see cref="SurveyRules"/>.
/// </summary>
internal static class DefinitionReader
{
    private static readonly Dictionary<string, SurveyStatus> Statuses = new(StringComparer.Ordinal)
    {
        ["draft"] = SurveyStatus.Draft, ["open"] = SurveyStatus.Open, ["closed"] = SurveyStatus.Closed,
    };

    private static readonly Dictionary<string, QuestionType> Types = new(StringComparer.Ordinal)
    {
        ["single"] = QuestionType.Single, ["multiple"] = QuestionType.Multiple,
    };

    public static DefinitionDocument Read(JsonObjectReader root)
    {
        var f = root.Fields("id", "title", "description", "status", "opensAt", "closesAt", "segments", "minGroupSize",
            "journey", "questions", "reportingGroups", "previousWave", "languages", "privacy");
        return new DefinitionDocument(
            f["id"].String(), f["title"].LocalizedText(), f["description"].LocalizedText(), f["status"].OneOf(Statuses),
            f["opensAt"].Date(), f["closesAt"].Date(), f["segments"].List(s => s.String()), f["minGroupSize"].Int(),
            ReadJourney(f["journey"].Object()),
            f["questions"].List(q => ReadQuestion(q.Object())), ReadReportingGroups(f["reportingGroups"].Object()),
            f["previousWave"].String(), f["languages"].List(l => l.String()), ReadPrivacy(f["privacy"].Object()));
    }

    private static PrivacyDocument? ReadPrivacy(JsonObjectReader? privacy)
    {
        if (privacy is not { } p) return null;
        var f = p.Fields("controller", "contact");
        return new PrivacyDocument(f["controller"].String(), f["contact"].String());
    }

    private static QuestionDocument? ReadQuestion(JsonObjectReader? question)
    {
        if (question is not { } q) return null;
        var f = q.Fields("id", "text", "type", "required", "options", "maxSelections", "allowOther", "ordered", "comparableWith");
        return new QuestionDocument(
            f["id"].String(), f["text"].LocalizedText(), f["type"].OneOf(Types), f["required"].Bool(),
            f["options"].List(o => ReadOption(o.Object())), f["maxSelections"].Int(), f["allowOther"].Bool(), f["ordered"].Bool(),
            f["comparableWith"].String());
    }

    private static OptionDocument? ReadOption(JsonObjectReader? option)
    {
        if (option is not { } o) return null;
        var f = o.Fields("id", "text", "exclusive", "points");
        return new OptionDocument(f["id"].String(), f["text"].LocalizedText(), f["exclusive"].Bool(), f["points"].Int());
    }

    /// <summary>Segment question id → its groups.</summary>
    private static Dictionary<string, List<ReportingGroupDocument?>?>? ReadReportingGroups(JsonObjectReader? groups)
    {
        if (groups is not { } g) return null;
        var result = new Dictionary<string, List<ReportingGroupDocument?>?>(StringComparer.Ordinal);
        foreach (var question in g.Properties()) result[question.Name] = question.List(group => ReadGroup(group.Object()));
        return result;
    }

    private static ReportingGroupDocument? ReadGroup(JsonObjectReader? group)
    {
        if (group is not { } g) return null;
        var f = g.Fields("id", "text", "options");
        return new ReportingGroupDocument(f["id"].String(), f["text"].LocalizedText(), f["options"].List(o => o.String()));
    }

    private static JourneyDocument? ReadJourney(JsonObjectReader? journey)
    {
        if (journey is not { } j) return null;
        var f = j.Fields("title", "stages", "indexes");
        return new JourneyDocument(f["title"].LocalizedText(), f["stages"].List(s => ReadStage(s.Object())), f["indexes"].List(i => ReadIndex(i.Object())));
    }

    private static StageDocument? ReadStage(JsonObjectReader? stage)
    {
        if (stage is not { } s) return null;
        var f = s.Fields("id", "minScore", "name", "about", "next");
        return new StageDocument(f["id"].String(), f["minScore"].Int(), f["name"].LocalizedText(), f["about"].LocalizedText(), f["next"].LocalizedText());
    }

    private static IndexDocument? ReadIndex(JsonObjectReader? index)
    {
        if (index is not { } i) return null;
        var f = i.Fields("id", "name", "questions");
        return new IndexDocument(f["id"].String(), f["name"].LocalizedText(), f["questions"].List(q => q.String()));
    }
}

// The wire shape, every member optional, so a missing field is reported by path rather than thrown.
internal sealed record DefinitionDocument(
    string? Id, LocalizedText? Title, LocalizedText? Description, SurveyStatus? Status,
    DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt, List<string?>? Segments, int? MinGroupSize,
    JourneyDocument? Journey,
    List<QuestionDocument?>? Questions, Dictionary<string, List<ReportingGroupDocument?>?>? ReportingGroups,
    string? PreviousWave, List<string?>? Languages, PrivacyDocument? Privacy);

internal sealed record ReportingGroupDocument(string? Id, LocalizedText? Text, List<string?>? Options);

internal sealed record QuestionDocument(
    string? Id, LocalizedText? Text, QuestionType? Type, bool? Required, List<OptionDocument?>? Options,
    int? MaxSelections, bool? AllowOther, bool? Ordered, string? ComparableWith);

internal sealed record OptionDocument(string? Id, LocalizedText? Text, bool? Exclusive, int? Points);
