using SurveyBackend.Aggregation;
using SurveyBackend.Journey;
using SurveyBackend.Surveys;

namespace SurveyBackend.Auditing;

/// <summary>One figure a release can publish: a counter of a scope (the names the counts use).</summary>
public readonly record struct Figure(string Scope, string Counter)
{
    public override string ToString() => $"{Scope} / {Counter}";
}

/// <summary>
/// Every figure a survey's results can carry, worked out from the definition alone (not from the results builder):
/// the overall scope and one scope per segment option, each with the respondents, and per question the answered
/// count and one count per choosable option; a segment question is absent from its own segments. A survey with a
/// journey has the derived stage question too (<see cref="StageQuestion"/>), counted like the others. The auditor also
/// models, per segment question, those who skipped it: never published, but part of every overall figure.
/// </summary>
public sealed class FigureSpace
{
    public const string SkippedPrefix = "skipped|";

    public FigureSpace(SurveyDefinition definition)
    {
        Definition = definition;
        Questions = StageQuestion.Of(definition) is { } stage ? [.. definition.Questions, stage] : definition.Questions;
        SegmentQuestions = [.. definition.Segments.Select(id => definition.FindQuestion(id)
            ?? throw new ArgumentException($"Segment '{id}' is not a question.", nameof(definition)))];
        if (SegmentQuestions.Any(q => q.Type != QuestionType.Single))
            throw new ArgumentException("Segments must be single-choice questions.", nameof(definition));

        var scopes = new List<Scope> { new(Tally.All, null, Published: true) };
        foreach (var segment in SegmentQuestions)
        {
            scopes.AddRange(segment.ChoosableOptionIds.Select(o => new Scope(Tally.SegmentScope(segment.Id, o), segment.Id, Published: true)));
        }
        scopes.AddRange(SegmentQuestions.Select(s => new Scope(SkippedPrefix + s.Id, s.Id, Published: false)));
        Scopes = scopes;
    }

    public SurveyDefinition Definition { get; }
    /// <summary>The definition's questions and, with a journey, the stage question (the journey table) last.</summary>
    public IReadOnlyList<Question> Questions { get; }
    public IReadOnlyList<Question> SegmentQuestions { get; }
    public IReadOnlyList<Scope> Scopes { get; }

    /// <summary>The questions a scope carries (all but its own segment question).</summary>
    public IEnumerable<Question> QuestionsOf(Scope scope) => Questions.Where(q => q.Id != scope.Without);

    public IEnumerable<string> CountersOf(Scope scope)
    {
        yield return Tally.Respondents;
        foreach (var question in QuestionsOf(scope))
        {
            yield return Tally.Answered(question.Id);
            foreach (var option in question.ChoosableOptionIds) yield return Tally.Chose(question.Id, option);
        }
    }

    /// <summary>The figures that a published document can show (the skipped groups are not among them).</summary>
    public IEnumerable<Figure> PublishedFigures() =>
        Scopes.Where(s => s.Published).SelectMany(s => CountersOf(s).Select(c => new Figure(s.Key, c)));

    /// <summary>
    /// The figures whose values the audit protects: every published one, and the answers of those who skipped a
    /// segment question (never shown, but real people). Not their size, a required question's answered count, nor
    /// their count in another segment question (T=t's): those only say how many skipped, which is the shown respondents
    /// less the shown answered count (of everyone, or of segment T=t).
    /// </summary>
    public IEnumerable<Figure> ProtectedFigures() => PublishedFigures().Concat(
        Scopes.Where(s => !s.Published).SelectMany(s => QuestionsOf(s)
            .Where(q => !SegmentQuestions.Contains(q))
            .SelectMany(q => q.ChoosableOptionIds.Select(o => Tally.Chose(q.Id, o)).Prepend(q.Required ? null : Tally.Answered(q.Id)))
            .OfType<string>()
            .Select(c => new Figure(s.Key, c))));

    /// <summary>The size of the group a figure is drawn from, for a skipped group (an empty group protects nobody).</summary>
    public static Figure? SkippedGroupOf(Figure figure) =>
        figure.Scope.StartsWith(SkippedPrefix, StringComparison.Ordinal) ? new Figure(figure.Scope, Tally.Respondents) : null;

    /// <summary>
    /// The true value of every figure, the skipped groups included (overall minus the sum over the segments), from
    /// counts as the counter keeps them.
    /// </summary>
    public Dictionary<Figure, long> TrueValues(IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> counts)
    {
        long Get(string scope, string counter) =>
            counts.TryGetValue(scope, out var c) && c.TryGetValue(counter, out var v) ? v : 0;
        var values = new Dictionary<Figure, long>();
        foreach (var scope in Scopes)
        {
            foreach (var counter in CountersOf(scope))
            {
                values[new Figure(scope.Key, counter)] = scope.Published
                    ? Get(scope.Key, counter)
                    : Get(Tally.All, counter) - SegmentQuestions.Single(q => q.Id == scope.Without)
                        .ChoosableOptionIds.Sum(o => Get(Tally.SegmentScope(scope.Without!, o), counter));
            }
        }
        return values;
    }

    /// <summary>What a published document shows, figure by figure; a null or absent figure is hidden.</summary>
    public Dictionary<Figure, long> Shown(SurveyResults published)
    {
        var shown = new Dictionary<Figure, long> { [new Figure(Tally.All, Tally.Respondents)] = published.Respondents };
        var known = PublishedFigures().ToHashSet();
        void Add(string scope, string counter, int? value)
        {
            var figure = new Figure(scope, counter);
            if (!known.Contains(figure)) throw new ArgumentException($"The published document shows {figure}, which the definition has no place for.", nameof(published));
            if (value is { } v) shown[figure] = v;
        }
        void AddQuestions(string scope, IReadOnlyList<QuestionResult>? questions)
        {
            foreach (var question in questions ?? [])
            {
                Add(scope, Tally.Answered(question.Id), question.Answered);
                foreach (var option in question.Options) Add(scope, Tally.Chose(question.Id, option.Id), option.Count);
            }
        }
        AddQuestions(Tally.All, published.Questions);
        foreach (var segment in published.Segments)
        {
            var scope = Tally.SegmentScope(segment.QuestionId, segment.OptionId);
            Add(scope, Tally.Respondents, segment.Respondents);
            AddQuestions(scope, segment.Questions);
        }
        return shown;
    }

    /// <param name="Key">The counter scope (<c>all</c>, <c>seg|q|o</c>) or, for a skipped group, <c>skipped|q</c>.</param>
    /// <param name="Without">The segment question this scope leaves out, if any.</param>
    public sealed record Scope(string Key, string? Without, bool Published);
}
