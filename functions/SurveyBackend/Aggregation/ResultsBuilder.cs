using SurveyBackend.Journey;
using SurveyBackend.Surveys;
using Counts = System.Collections.Generic.IReadOnlyDictionary<string, System.Collections.Generic.IReadOnlyDictionary<string, long>>;

namespace SurveyBackend.Aggregation;

/// <summary>
/// Builds <see cref="SurveyResults"/> from summed counters (scope → counter → count) and the definition. Every figure
/// goes into a <see cref="Suppression"/> with each sum that ties it to others, since a sum is how a hidden figure would
/// be worked out; then what the suppression hides reads "hidden". Pure: no storage, no clock.
/// </summary>
public sealed class ResultsBuilder
{
    private readonly SurveyDefinition _definition;
    // The definition's questions and, for a survey with a journey, the derived stage question (figures like any other).
    private readonly IReadOnlyList<Question> _questions;
    private readonly Counts _counts;
    private readonly IReadOnlyList<EarlierRelease> _earlier;
    private readonly Suppression _suppression;

    private ResultsBuilder(SurveyDefinition definition, Counts counts, IReadOnlyList<EarlierRelease> earlier)
    {
        _definition = definition;
        _questions = StageQuestion.Of(definition) is { } stage ? [.. definition.Questions, stage] : definition.Questions;
        _counts = counts;
        _earlier = earlier;
        _suppression = new Suppression(definition.MinGroupSize, earlier.Count);
    }

    /// <summary>
    /// The results of <paramref name="counts"/>, with reporting groups (<see cref="ReportingView"/>) applied first. With
    /// <paramref name="earlier"/> releases of the survey, every figure is also protected as a difference from each of
    /// them: what the respondents who came in between answered stays hidden too.
    /// </summary>
    public static SurveyResults Build(SurveyDefinition definition, Counts counts, DateTimeOffset generatedAt, IReadOnlyList<PriorRelease>? earlier = null)
    {
        var view = ReportingView.Of(definition);
        var releases = (earlier ?? []).Select(p => new EarlierRelease(view.Map(p.Counts), ShownFigures(p.Published))).ToList();
        return new ResultsBuilder(view.Definition, view.Map(counts), releases).Build(generatedAt);
    }

    /// <summary>A question's figures in one scope: answered, chose each option, and skipped it (null when all in the scope answered it).</summary>
    private sealed record QuestionFigures(int Answered, IReadOnlyDictionary<string, int> Options, int? Skipped);

    /// <summary>Those who chose one option of a segment question: their number, and their figures of every other question.</summary>
    private sealed record SegmentFigures(Question Segment, string OptionId, int Size, IReadOnlyDictionary<string, QuestionFigures> Questions);

    /// <summary>An earlier release: its counts, and the figures it showed (by scope and counter).</summary>
    private sealed record EarlierRelease(Counts Counts, IReadOnlyDictionary<(string Scope, string Counter), long> Shown);

    private SurveyResults Build(DateTimeOffset generatedAt)
    {
        // The survey's size is always shown (it is not an answer); it is a figure so that sums can use it.
        var overall = AddScope(Tally.All, segment: null, size: Figure(Tally.All, Tally.Respondents));
        var segments = new List<SegmentFigures>();
        foreach (var segment in _definition.Segments.Select(_definition.FindQuestion).OfType<Question>())
        {
            var groups = AddSegments(segment, overall);
            AddThoseWhoSkipped(segment, groups, overall);
            segments.AddRange(groups);
        }
        AddCrossTabs(segments);

        _suppression.Solve();
        return new SurveyResults(
            _definition.Id,
            (int)Count(Tally.All, Tally.Respondents),
            generatedAt,
            _definition.MinGroupSize,
            Results(overall),
            [.. segments.Select(s => _suppression.IsHidden(s.Size)
                ? new SegmentResult(s.Segment.Id, s.OptionId, null, null, Suppressed: true)
                : new SegmentResult(s.Segment.Id, s.OptionId, (int)_suppression.Value(s.Size), Results(s.Questions)))]);
    }

    /// <summary>Every question's figures in one scope; within a segment its own question is left out (all in it chose that option).</summary>
    private Dictionary<string, QuestionFigures> AddScope(string scope, Question? segment, int size) =>
        _questions.Where(q => q.Id != segment?.Id).ToDictionary(q => q.Id, q => AddQuestion(scope, q, size), StringComparer.Ordinal);

    /// <summary>
    /// A question's figures in one scope, tied by: answered ⊂ size (skipped the rest); answered = the sum of its options
    /// for a single choice, and each option ⊂ answered for a multiple choice. A required question everyone in the scope
    /// answered has no figure of its own: it is the size.
    /// </summary>
    private QuestionFigures AddQuestion(string scope, Question question, int size)
    {
        var answeredCounter = Tally.Answered(question.Id);
        var answeredByAll = question.Required && Count(scope, answeredCounter) == Count(scope, Tally.Respondents);
        var answered = answeredByAll ? size : Figure(scope, answeredCounter);
        int? skipped = answeredByAll ? null : Complement(scope, Tally.Respondents, answeredCounter, size, answered);
        var options = question.ChoosableOptionIds.ToDictionary(o => o, o => Figure(scope, Tally.Chose(question.Id, o)), StringComparer.Ordinal);
        _suppression.AddContainment(answered, options.Values);
        if (question.Type == QuestionType.Single) _suppression.AddSum(answered, options.Values);
        else
        {
            foreach (var (optionId, option) in options) Complement(scope, answeredCounter, Tally.Chose(question.Id, optionId), answered, option);
        }
        return new QuestionFigures(answered, options, skipped);
    }

    /// <summary>
    /// Each segment of a segment question: its size is the same number as that option's overall count, hides all its
    /// figures when hidden, and the sizes add up to everyone who answered the question.
    /// </summary>
    private List<SegmentFigures> AddSegments(Question segment, IReadOnlyDictionary<string, QuestionFigures> overall)
    {
        var groups = new List<SegmentFigures>();
        foreach (var optionId in segment.ChoosableOptionIds)
        {
            var scope = Tally.SegmentScope(segment.Id, optionId);
            var size = Figure(scope, Tally.Respondents);
            var questions = AddScope(scope, segment, size);
            _suppression.AddSame(size, overall[segment.Id].Options[optionId]);
            _suppression.AddContainment(size, questions.Values.SelectMany(f => f.Options.Values.Prepend(f.Answered)));
            groups.Add(new SegmentFigures(segment, optionId, size, questions));
        }
        _suppression.AddSum(overall[segment.Id].Answered, groups.Select(g => g.Size));
        return groups;
    }

    /// <summary>
    /// Every overall figure of another question is the sum of that figure over the segments and over those who skipped
    /// the segment question: a group never shown, but one that a sum would otherwise give away.
    /// </summary>
    private void AddThoseWhoSkipped(Question segment, IReadOnlyList<SegmentFigures> groups, IReadOnlyDictionary<string, QuestionFigures> overall)
    {
        var skipped = Count(Tally.All, Tally.Respondents) - Count(Tally.All, Tally.Answered(segment.Id));
        foreach (var question in _questions.Where(q => q.Id != segment.Id))
        {
            var answeredParts = groups.Select(g => g.Questions[question.Id].Answered).ToList();
            if (SkippersFigure(segment, question, Tally.Answered(question.Id), skipped, overall) is { } skippersAnswered) answeredParts.Add(skippersAnswered);
            _suppression.AddSum(overall[question.Id].Answered, answeredParts);
            foreach (var optionId in question.ChoosableOptionIds)
            {
                var parts = groups.Select(g => g.Questions[question.Id].Options[optionId]).ToList();
                if (SkippersFigure(segment, question, Tally.Chose(question.Id, optionId), skipped, overall) is { } skippersChose) parts.Add(skippersChose);
                _suppression.AddSum(overall[question.Id].Options[optionId], parts);
            }
        }
    }

    /// <summary>
    /// Those who skipped the segment question, counted by one counter: a figure always hidden; none when nobody skipped.
    /// Counted by a required question they all answered, it is their number, the overall "skipped" figure already there.
    /// </summary>
    private int? SkippersFigure(Question segment, Question question, string counter, long skipped, IReadOnlyDictionary<string, QuestionFigures> overall)
    {
        if (skipped <= 0) return null;
        if (counter == Tally.Answered(question.Id) && question.Required && Rest(_counts, segment, counter) == skipped
            && overall[segment.Id].Skipped is { } skippedFigure)
            return skippedFigure;
        return _suppression.Add(Rest(_counts, segment, counter), [.. _earlier.Select(e => new Suppression.Earlier(Rest(e.Counts, segment, counter), Shown: false))], alwaysHidden: true);
    }

    /// <summary>The cross-tab of two segment questions appears twice, once in each one's segments: the same number.</summary>
    private void AddCrossTabs(IReadOnlyList<SegmentFigures> segments)
    {
        foreach (var a in segments)
        {
            foreach (var b in segments)
            {
                if (a.Segment.Id == b.Segment.Id) continue;
                _suppression.AddSame(a.Questions[b.Segment.Id].Options[b.OptionId], b.Questions[a.Segment.Id].Options[a.OptionId]);
            }
        }
    }

    /// <summary>A figure of this release, with its value in each earlier release and whether that one showed it.</summary>
    private int Figure(string scope, string counter) =>
        _suppression.Add(Count(scope, counter),
            [.. _earlier.Select(e => new Suppression.Earlier(Read(e.Counts, scope, counter), e.Shown.ContainsKey((scope, counter))))]);

    /// <summary>
    /// whole − part (those who skipped an optional question, or did not choose an option): never shown, but tied to
    /// both by a sum, so protected like any figure. Across releases it can only grow, so a 0 now says nothing new.
    /// </summary>
    private int Complement(string scope, string whole, string part, int wholeFigure, int partFigure)
    {
        var complement = _suppression.Add(Count(scope, whole) - Count(scope, part),
            [.. _earlier.Select(e => new Suppression.Earlier(
                Read(e.Counts, scope, whole) - Read(e.Counts, scope, part),
                e.Shown.ContainsKey((scope, whole)) && e.Shown.ContainsKey((scope, part))))]);
        _suppression.AddSum(wholeFigure, [partFigure, complement]);
        return complement;
    }

    private List<QuestionResult> Results(IReadOnlyDictionary<string, QuestionFigures> figures) =>
        [.. _questions.Where(q => figures.ContainsKey(q.Id)).Select(q => Result(q, figures[q.Id]))];

    private QuestionResult Result(Question question, QuestionFigures figures)
    {
        if (_suppression.IsHidden(figures.Answered))
            return new QuestionResult(question.Id, null, [.. question.ChoosableOptionIds.Select(o => new OptionResult(o, null, null, Suppressed: true))], Suppressed: true);
        var answered = _suppression.Value(figures.Answered);
        return new QuestionResult(question.Id, (int)answered,
        [
            .. question.ChoosableOptionIds.Select(o => _suppression.IsHidden(figures.Options[o])
                ? new OptionResult(o, null, null, Suppressed: true)
                : new OptionResult(o, (int)_suppression.Value(figures.Options[o]), Share(_suppression.Value(figures.Options[o]), answered))),
        ]);
    }

    /// <summary>The figures a published release shows, by scope and counter (the names <see cref="Tally"/> counts under).</summary>
    public static IReadOnlyDictionary<(string Scope, string Counter), long> ShownFigures(SurveyResults published)
    {
        var shown = new Dictionary<(string, string), long>();
        void AddQuestions(string scope, IEnumerable<QuestionResult> questions)
        {
            foreach (var question in questions)
            {
                if (question.Answered is { } answered) shown[(scope, Tally.Answered(question.Id))] = answered;
                foreach (var option in question.Options)
                {
                    if (option.Count is { } count) shown[(scope, Tally.Chose(question.Id, option.Id))] = count;
                }
            }
        }
        shown[(Tally.All, Tally.Respondents)] = published.Respondents;
        AddQuestions(Tally.All, published.Questions);
        foreach (var segment in published.Segments)
        {
            if (segment.Respondents is not { } size) continue;
            var scope = Tally.SegmentScope(segment.QuestionId, segment.OptionId);
            shown[(scope, Tally.Respondents)] = size;
            AddQuestions(scope, segment.Questions ?? []);
        }
        return shown;
    }

    private long Count(string scope, string counter) => Read(_counts, scope, counter);

    /// <summary>A counter over everyone less the same counter over the segments of <paramref name="segment"/>: those who skipped it.</summary>
    private static long Rest(Counts from, Question segment, string counter) =>
        Read(from, Tally.All, counter) - segment.ChoosableOptionIds.Sum(o => Read(from, Tally.SegmentScope(segment.Id, o), counter));

    private static long Read(Counts counts, string scope, string counter) =>
        counts.TryGetValue(scope, out var c) && c.TryGetValue(counter, out var v) ? v : 0;

    private static double Share(long count, long answered) => answered == 0 ? 0 : Math.Round((double)count / answered, 3);
}
