using System.Text.RegularExpressions;
using SurveyBackend.Journey;
using SurveyBackend.Languages;
using SurveyBackend.Validation;

namespace SurveyBackend.Surveys;

/// <summary>
/// Turns a definition document into a <see cref="SurveyDefinition"/>, or into the list of every fault
/// with its path (<c>questions[2].options</c>), so an admin fixes them all in one go.
/// </summary>
public static partial class SurveyRules
{
    public const int DefaultMinGroupSize = 5;
    /// <summary>
    /// The lowest threshold allowed: with 1 a figure is one person's answer; with 2, either of the two reads the other's
    /// answer off it. From 3, no one respondent can work out another's from a shown figure (docs/results.md).
    /// </summary>
    public const int MinMinGroupSize = 3;
    public const int MaxMinGroupSize = 100;
    public const int MaxQuestions = 100;
    public const int MaxOptions = 50;
    public const int MaxTextLength = 500;
    public const int MaxDescriptionLength = 4000;
    /// <summary>The option id that an <c>allowOther</c> question adds for its free-text "Other".</summary>
    public const string OtherOptionId = "other";
    public const int MaxOtherTextLength = 200;
    /// <summary>The one value of a question's <c>comparableWith</c>: compare it with the previous wave's question of the same id.</summary>
    public const string ComparableWithPrevious = "previous";

    [GeneratedRegex("^[a-z0-9-]{3,64}$")]
    public static partial Regex SurveyIdPattern();

    // Question and option ids appear in answers and CSV headers: keep them plain.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex ItemIdPattern();

    public static bool IsValidSurveyId(string? id) => id is not null && SurveyIdPattern().IsMatch(id);

    /// <summary>
    /// The definition in <paramref name="json"/>, or every fault: those of reading it (<see cref="DefinitionReader"/>), then
    /// those of the rules at paths the reading found no fault at (a value that could not be read is reported once).
    /// </summary>
    public static Validated<SurveyDefinition> Parse(ReadOnlySpan<byte> json, string surveyId)
    {
        var read = JsonBody.Read(json.ToArray(), UiText.For(UiText.English), DefinitionReader.Read);
        return read.IsValid ? Validate(read.Value!.Value, surveyId, read.Value.Faults) : Validated<SurveyDefinition>.Fail(read.Errors);
    }

    private static Validated<SurveyDefinition> Validate(DefinitionDocument doc, string surveyId, ValidationErrors readFaults)
    {
        var errors = new ValidationErrors();
        var texts = new Texts(ValidateLanguages(errors, doc.Languages), errors);

        if (string.IsNullOrEmpty(doc.Id)) errors.Add("id", "The id is required.");
        else if (!IsValidSurveyId(doc.Id)) errors.Add("id", "The id must be 3 to 64 characters of a-z, 0-9 and '-'.");
        else if (doc.Id != surveyId) errors.Add("id", "The id must match the survey id in the address.");

        texts.Require("title", TextKeys.Title, doc.Title, MaxTextLength);
        texts.Optional("description", TextKeys.Description, doc.Description, MaxDescriptionLength);
        if (doc.Status is null) errors.Add("status", "The status is required: draft, open or closed.");
        if (doc.OpensAt is { } opens && doc.ClosesAt is { } closes && opens >= closes)
            errors.Add("closesAt", "closesAt must be later than opensAt.");
        if (doc.MinGroupSize is { } size && (size < MinMinGroupSize || size > MaxMinGroupSize))
            errors.Add("minGroupSize", $"minGroupSize must be between {MinMinGroupSize} and {MaxMinGroupSize}: below {MinMinGroupSize}, a shown figure can be one person's answer, or tell one of two respondents the other's.");

        var questions = doc.Questions ?? [];
        if (doc.Questions is null || questions.Count == 0) errors.Add("questions", "At least one question is required.");
        else if (questions.Count > MaxQuestions) errors.Add("questions", $"At most {MaxQuestions} questions are allowed.");

        // Whether the previous wave exists, is not a draft and makes no cycle needs the store: SurveyCatalog checks that.
        if (doc.PreviousWave is { } previous)
        {
            if (!IsValidSurveyId(previous)) errors.Add("previousWave", "The previous wave must be a survey id: 3 to 64 characters of a-z, 0-9 and '-'.");
            else if (previous == doc.Id) errors.Add("previousWave", "A survey cannot be its own previous wave.");
        }

        var journey = JourneyRules.Check(errors, texts, doc.Journey, questions);
        var questionIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < questions.Count; i++)
        {
            ValidateQuestion(errors, texts, $"questions[{i}]", questions[i], questionIds);
            if (questions[i]?.ComparableWith is { } comparableWith)
            {
                if (comparableWith != ComparableWithPrevious)
                    errors.Add($"questions[{i}].comparableWith", $"comparableWith can only be \"{ComparableWithPrevious}\".");
                else if (doc.PreviousWave is null)
                    errors.Add($"questions[{i}].comparableWith", "comparableWith needs the survey to name its previousWave.");
            }
        }

        var segments = doc.Segments ?? [];
        var seenSegments = ValidateSegments(errors, segments, questions);
        var reportingGroups = ValidateReportingGroups(errors, texts, doc.ReportingGroups, questions, seenSegments);
        var privacy = SurveyPrivacyRules.Check(errors, doc.Privacy);

        errors = ValidationErrors.Combine(readFaults, errors);
        if (!errors.IsEmpty) return Validated<SurveyDefinition>.Fail(errors);

        return Validated<SurveyDefinition>.Ok(new SurveyDefinition
        {
            Id = doc.Id!,
            Title = doc.Title!.English!,
            Description = doc.Description?.English,
            Languages = texts.Languages,
            Translations = texts.Translations(),
            Status = doc.Status!.Value,
            OpensAt = doc.OpensAt?.ToUniversalTime(),
            ClosesAt = doc.ClosesAt?.ToUniversalTime(),
            Segments = [.. segments.OfType<string>()],
            MinGroupSize = doc.MinGroupSize ?? DefaultMinGroupSize,
            Journey = journey,
            Questions = [.. questions.Select(q => ToQuestion(q!))],
            ReportingGroups = reportingGroups,
            PreviousWave = doc.PreviousWave,
            Privacy = privacy,
        });
    }

    /// <summary>A question that passed the rules, as the definition keeps it.</summary>
    private static Question ToQuestion(QuestionDocument q) => new()
    {
        Id = q.Id!,
        Text = q.Text!.English!,
        Type = q.Type!.Value,
        Required = q.Required ?? false,
        MaxSelections = q.MaxSelections,
        AllowOther = q.AllowOther ?? false,
        Ordered = q.Ordered ?? false,
        ComparableWith = q.ComparableWith,
        Options = [.. q.Options!.Select(o => new QuestionOption { Id = o!.Id!, Text = o.Text!.English!, Exclusive = o.Exclusive ?? false, Points = o.Points })],
    };

    /// <summary>Each segment is a single-choice question of the survey, listed once; returns the ids listed.</summary>
    private static HashSet<string> ValidateSegments(ValidationErrors errors, List<string?> segments, List<QuestionDocument?> questions)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < segments.Count; i++)
        {
            var path = $"segments[{i}]";
            var segment = questions.FirstOrDefault(q => q?.Id == segments[i]);
            if (!seen.Add(segments[i] ?? "")) errors.Add(path, "This segment is listed twice.");
            else if (segment is null) errors.Add(path, "A segment must be the id of a question.");
            else if (segment.Type != QuestionType.Single) errors.Add(path, "A segment must be a single-choice question.");
        }
        return seen;
    }

    /// <summary>
    /// Each key is a segment question; each group has a unique id (not one of the question's option ids), a text and
    /// at least two of the question's options; an option is in at most one group.
    /// </summary>
    private static Dictionary<string, IReadOnlyList<ReportingGroup>>? ValidateReportingGroups(
        ValidationErrors errors, Texts texts, Dictionary<string, List<ReportingGroupDocument?>?>? document, List<QuestionDocument?> questions, HashSet<string> segments)
    {
        if (document is null || document.Count == 0) return null;
        var result = new Dictionary<string, IReadOnlyList<ReportingGroup>>(StringComparer.Ordinal);
        foreach (var (questionId, groups) in document)
        {
            var path = $"reportingGroups.{questionId}";
            var question = questions.FirstOrDefault(q => q?.Id == questionId);
            if (!segments.Contains(questionId) || question is null)
            {
                errors.Add(path, "Reporting groups are for segment questions: list this question in segments first.");
                continue;
            }
            if (groups is null || groups.Count == 0)
            {
                errors.Add(path, "Give at least one group, or leave the question out.");
                continue;
            }

            var optionIds = (question.Options ?? []).Select(o => o?.Id).OfType<string>().ToHashSet(StringComparer.Ordinal);
            if (question.AllowOther == true) optionIds.Add(OtherOptionId);
            var groupIds = new HashSet<string>(StringComparer.Ordinal);
            var groupOf = new Dictionary<string, string>(StringComparer.Ordinal);
            var valid = new List<ReportingGroup>();
            for (var i = 0; i < groups.Count; i++)
            {
                var groupPath = $"{path}[{i}]";
                var group = groups[i];
                if (group is null)
                {
                    errors.Add(groupPath, "A group must be an object.");
                    continue;
                }
                ValidateItemId(errors, $"{groupPath}.id", group.Id, groupIds, "group");
                if (group.Id is not null && optionIds.Contains(group.Id))
                    errors.Add($"{groupPath}.id", $"'{group.Id}' is already an option of this question: a group needs an id of its own.");
                if (group.Id is not null) texts.Require($"{groupPath}.text", TextKeys.Group(questionId, group.Id), group.Text, MaxTextLength);
                else texts.Require($"{groupPath}.text", null, group.Text, MaxTextLength);

                var members = group.Options ?? [];
                if (members.Count < 2) errors.Add($"{groupPath}.options", "A group needs at least two options.");
                for (var j = 0; j < members.Count; j++)
                {
                    var member = members[j];
                    var memberPath = $"{groupPath}.options[{j}]";
                    if (member is null || !optionIds.Contains(member)) errors.Add(memberPath, "There is no option with this id in the question.");
                    else if (groupOf.TryGetValue(member, out var other))
                        errors.Add(memberPath, other == group.Id ? "This option is listed twice." : $"This option is already in the group '{other}'.");
                    else groupOf[member] = group.Id ?? "";
                }
                if (group.Id is not null && group.Text?.English is { } english)
                    valid.Add(new ReportingGroup(group.Id, english, [.. members.OfType<string>()]));
            }
            result[questionId] = valid;
        }
        return result;
    }

    private static void ValidateQuestion(ValidationErrors errors, Texts texts, string path, QuestionDocument? q, HashSet<string> questionIds)
    {
        if (q is null)
        {
            errors.Add(path, "A question must be an object.");
            return;
        }
        ValidateItemId(errors, $"{path}.id", q.Id, questionIds, "question");
        texts.Require($"{path}.text", q.Id is null ? null : TextKeys.Question(q.Id), q.Text, MaxTextLength);
        if (q.Type is null) errors.Add($"{path}.type", "The type is required: single or multiple.");

        var options = q.Options ?? [];
        if (options.Count < 2) errors.Add($"{path}.options", "A question needs at least two options.");
        else if (options.Count > MaxOptions) errors.Add($"{path}.options", $"A question may have at most {MaxOptions} options.");

        var optionIds = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < options.Count; j++)
        {
            var optionPath = $"{path}.options[{j}]";
            var option = options[j];
            if (option is null)
            {
                errors.Add(optionPath, "An option must be an object.");
                continue;
            }
            ValidateItemId(errors, $"{optionPath}.id", option.Id, optionIds, "option");
            texts.Require($"{optionPath}.text", q.Id is null || option.Id is null ? null : TextKeys.Option(q.Id, option.Id), option.Text, MaxTextLength);
            if (option.Exclusive == true && q.Type == QuestionType.Single)
                errors.Add($"{optionPath}.exclusive", "Only options of a multiple-choice question can be exclusive.");
            if (q.AllowOther == true && option.Id == OtherOptionId)
                errors.Add($"{optionPath}.id", $"'{OtherOptionId}' is reserved for the free-text answer of a question that allows Other.");
        }

        if (q.Ordered == true && q.Type != QuestionType.Single)
            errors.Add($"{path}.ordered", "Only a single-choice question can be ordered.");

        if (q.MaxSelections is { } max)
        {
            var choosable = options.Count + (q.AllowOther == true ? 1 : 0);
            if (q.Type != QuestionType.Multiple)
                errors.Add($"{path}.maxSelections", "maxSelections applies to multiple-choice questions only.");
            else if (max < 1 || max > choosable)
                errors.Add($"{path}.maxSelections", $"maxSelections must be between 1 and the number of options ({choosable}).");
        }
    }

    internal static void ValidateItemId(ValidationErrors errors, string path, string? id, HashSet<string> seen, string what)
    {
        if (string.IsNullOrEmpty(id)) errors.Add(path, $"The {what} id is required.");
        else if (!ItemIdPattern().IsMatch(id)) errors.Add(path, $"The {what} id must be 1 to 64 letters, digits, '-' or '_'.");
        else if (!seen.Add(id)) errors.Add(path, $"The {what} id '{id}' is used twice.");
    }

    /// <summary>The declared languages: English always, first; each supported, once. Missing means English only.</summary>
    private static IReadOnlyList<string> ValidateLanguages(ValidationErrors errors, List<string?>? languages)
    {
        if (languages is null) return [UiText.English];
        var valid = new List<string> { UiText.English };
        if (!languages.Contains(UiText.English)) errors.Add("languages", $"The languages must include '{UiText.English}': every survey is given in English too.");
        for (var i = 0; i < languages.Count; i++)
        {
            var language = languages[i];
            if (!UiText.IsSupported(language))
                errors.Add($"languages[{i}]", $"The language must be one of: {string.Join(", ", UiText.Supported)}.");
            else if (languages.IndexOf(language) != i) errors.Add($"languages[{i}]", "This language is listed twice.");
            else if (language != UiText.English) valid.Add(language!);
        }
        return valid;
    }

    /// <summary>
    /// Checks each text in every declared language and gathers the translations. A declared language with a text
    /// missing is a fault at that text's path (<c>questions[2].text</c>): never an English fallback on a Welsh page.
    /// </summary>
    internal sealed class Texts(IReadOnlyList<string> languages, ValidationErrors errors)
    {
        private readonly Dictionary<string, Dictionary<string, string>> _translations = new(StringComparer.Ordinal);

        public IReadOnlyList<string> Languages { get; } = languages;

        public void Require(string path, string? key, LocalizedText? text, int max)
        {
            if (text is null || string.IsNullOrWhiteSpace(text.English))
            {
                errors.Add(path, "This text is required.");
                return;
            }
            Check(path, key, text, max);
        }

        public void Optional(string path, string? key, LocalizedText? text, int max)
        {
            if (text is null) return;
            if (string.IsNullOrWhiteSpace(text.English))
            {
                errors.Add(path, text.ByLanguage.Count > 0 ? "Give this text in English too, or leave it out." : "This text is required.");
                return;
            }
            Check(path, key, text, max);
        }

        public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? Translations() =>
            _translations.Count == 0 ? null
                : _translations.ToDictionary(t => t.Key, t => (IReadOnlyDictionary<string, string>)t.Value, StringComparer.Ordinal);

        private void Check(string path, string? key, LocalizedText text, int max)
        {
            if (text.English is { Length: var englishLength } && englishLength > max) errors.Add(path, $"This text must be at most {max} characters.");
            foreach (var (language, value) in text.ByLanguage)
            {
                if (!Languages.Contains(language)) errors.Add($"{path}.{language}", $"The survey does not declare '{language}': add it to languages, or leave this text out.");
                else if (value is { Length: var length } && length > max) errors.Add(path, $"This text must be at most {max} characters.");
            }
            foreach (var language in Languages)
            {
                var value = language == UiText.English ? text.English : text.ByLanguage.GetValueOrDefault(language);
                if (string.IsNullOrWhiteSpace(value))
                {
                    errors.Add(path, $"This text is missing in '{language}', which the survey declares in languages.");
                    continue;
                }
                if (language == UiText.English || key is null) continue;
                if (!_translations.TryGetValue(language, out var texts)) _translations[language] = texts = new(StringComparer.Ordinal);
                texts[key] = value;
            }
        }
    }
}
