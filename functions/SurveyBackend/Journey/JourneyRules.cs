using SurveyBackend.Surveys;
using SurveyBackend.Validation;

namespace SurveyBackend.Journey;

/// <summary>
/// The rules of a definition's journey and of the points on its options (docs/journey.md), each fault at its path
/// (<c>journey.stages[1].minScore</c>, <c>questions[4].options[2].points</c>); called once from <see cref="SurveyRules"/>.
/// </summary>
internal static class JourneyRules
{
    public const int MaxPoints = 1000;
    public const int MinStages = 2;
    public const int MaxStages = 10;
    public const int MaxIndexes = 10;
    public const int MaxScore = 100;
    /// <summary>A stage's "about" and "next" are a short paragraph each.</summary>
    public const int MaxAdviceLength = 1500;

    /// <summary>The journey as validated (null when the definition has none); faults go to <paramref name="errors"/>.</summary>
    public static JourneyModel? Check(ValidationErrors errors, SurveyRules.Texts texts, JourneyDocument? journey, List<QuestionDocument?> questions)
    {
        var scored = CheckPoints(errors, questions);
        if (journey is null) return null;

        texts.Require("journey.title", JourneyTextKeys.Title, journey.Title, SurveyRules.MaxTextLength);
        var stages = CheckStages(errors, texts, journey.Stages);
        if (scored.Count == 0) errors.Add("journey", "At least one question must be scored: give the options of a multiple- or single-choice question their points.");
        var indexes = CheckIndexes(errors, texts, journey.Indexes, questions, scored);
        return new JourneyModel { Title = journey.Title?.English ?? "", Stages = stages, Indexes = indexes };
    }

    /// <summary>
    /// Points are whole numbers from 0 to <see cref="MaxPoints"/>. A question with points on any option is scored, and
    /// then gives every option its points (0 included) and can score more than 0. The same without a journey (where they
    /// score nothing), so questions copied from a survey with one stay valid. Returns the ids of the scored questions.
    /// </summary>
    private static HashSet<string> CheckPoints(ValidationErrors errors, List<QuestionDocument?> questions)
    {
        var scored = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < questions.Count; i++)
        {
            var options = questions[i]?.Options ?? [];
            if (!options.Any(o => o?.Points is not null)) continue;
            if (questions[i]!.Id is { } id) scored.Add(id);
            for (var j = 0; j < options.Count; j++)
            {
                var path = $"questions[{i}].options[{j}].points";
                if (options[j] is not { } option) continue;
                if (option.Points is null) errors.Add(path, "This question is scored: give every one of its options its points (0 is allowed).");
                else if (option.Points is < 0 or > MaxPoints) errors.Add(path, $"Points must be a whole number from 0 to {MaxPoints}.");
            }
            if (options.All(o => o?.Points is null or 0))
                errors.Add($"questions[{i}].options", "A scored question needs an option worth more than 0 points; leave the points out for a question that does not count.");
        }
        return scored;
    }

    /// <summary>From <see cref="MinStages"/> to <see cref="MaxStages"/> stages, ids unique, minScore from 0 and strictly increasing up to 100.</summary>
    private static List<JourneyStage> CheckStages(ValidationErrors errors, SurveyRules.Texts texts, List<StageDocument?>? stages)
    {
        var result = new List<JourneyStage>();
        if (stages is null || stages.Count < MinStages || stages.Count > MaxStages)
        {
            errors.Add("journey.stages", $"A journey has from {MinStages} to {MaxStages} stages.");
            if (stages is null) return result;
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        int? previous = null;
        for (var i = 0; i < stages.Count; i++)
        {
            var path = $"journey.stages[{i}]";
            if (stages[i] is not { } stage)
            {
                errors.Add(path, "A stage must be an object.");
                continue;
            }
            SurveyRules.ValidateItemId(errors, $"{path}.id", stage.Id, ids, "stage");
            CheckMinScore(errors, $"{path}.minScore", stage.MinScore, i, previous);
            previous = stage.MinScore ?? previous;
            string? Key(string part) => stage.Id is null ? null : JourneyTextKeys.Stage(stage.Id, part);
            texts.Require($"{path}.name", Key(JourneyTextKeys.Name), stage.Name, SurveyRules.MaxTextLength);
            texts.Require($"{path}.about", Key(JourneyTextKeys.About), stage.About, MaxAdviceLength);
            texts.Require($"{path}.next", Key(JourneyTextKeys.Next), stage.Next, MaxAdviceLength);
            result.Add(new JourneyStage(stage.Id ?? "", stage.MinScore ?? 0, stage.Name?.English ?? "", stage.About?.English ?? "", stage.Next?.English ?? ""));
        }
        return result;
    }

    private static void CheckMinScore(ValidationErrors errors, string path, int? minScore, int index, int? previous)
    {
        if (minScore is not { } score) errors.Add(path, "minScore is required: the lowest score, from 0 to 100, that reaches this stage.");
        else if (index == 0 && score != 0) errors.Add(path, "The first stage starts at 0, so that every score has a stage.");
        else if (score is < 0 or > MaxScore) errors.Add(path, $"minScore must be from 0 to {MaxScore}.");
        else if (previous is { } before && score <= before)
            errors.Add(path, $"Stages go in order of minScore, each higher than the one before ({before}).");
    }

    /// <summary>At most <see cref="MaxIndexes"/>; ids unique; each over one or more scored questions of the survey, none twice.</summary>
    private static List<JourneyIndex> CheckIndexes(
        ValidationErrors errors, SurveyRules.Texts texts, List<IndexDocument?>? indexes, List<QuestionDocument?> questions, HashSet<string> scored)
    {
        var result = new List<JourneyIndex>();
        if (indexes is null) return result;
        if (indexes.Count > MaxIndexes) errors.Add("journey.indexes", $"A journey has at most {MaxIndexes} indexes.");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < indexes.Count; i++)
        {
            var path = $"journey.indexes[{i}]";
            if (indexes[i] is not { } index)
            {
                errors.Add(path, "An index must be an object.");
                continue;
            }
            SurveyRules.ValidateItemId(errors, $"{path}.id", index.Id, ids, "index");
            texts.Require($"{path}.name", index.Id is null ? null : JourneyTextKeys.Index(index.Id), index.Name, SurveyRules.MaxTextLength);
            var members = index.Questions ?? [];
            if (members.Count == 0) errors.Add($"{path}.questions", "An index is scored over at least one question.");
            for (var j = 0; j < members.Count; j++)
            {
                var memberPath = $"{path}.questions[{j}]";
                if (members[j] is not { } id || !questions.Any(q => q?.Id == id)) errors.Add(memberPath, "There is no question with this id.");
                else if (!scored.Contains(id)) errors.Add(memberPath, "This question is not scored: give its options points, or leave it out of the index.");
                else if (members.IndexOf(id) != j) errors.Add(memberPath, "This question is listed twice.");
            }
            result.Add(new JourneyIndex(index.Id ?? "", index.Name?.English ?? "", [.. members.OfType<string>()]));
        }
        return result;
    }
}

// The wire shape of "journey", every member optional, so a missing field is reported by path rather than thrown.
internal sealed record JourneyDocument(LocalizedText? Title, List<StageDocument?>? Stages, List<IndexDocument?>? Indexes);

internal sealed record StageDocument(string? Id, int? MinScore, LocalizedText? Name, LocalizedText? About, LocalizedText? Next);

internal sealed record IndexDocument(string? Id, LocalizedText? Name, List<string?>? Questions);
