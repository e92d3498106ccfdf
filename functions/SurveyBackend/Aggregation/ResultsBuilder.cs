using SurveyBackend.Surveys;

namespace SurveyBackend.Aggregation;

/// <summary>
/// Builds <see cref="SurveyResults"/> from summed counters (scope → counter → count) and the definition, with
/// small-cell and complementary suppression (<see cref="Suppression"/>). Pure: no storage, no clock.
/// <para>The figures and the sums that tie them:</para>
/// <list type="bullet">
/// <item>per scope (everyone, or one segment) and single-choice question: answered = sum of its option counts;</item>
/// <item>per segment question S: everyone's answered(S) = sum of the sizes of S's segments, and a segment's size
/// is the same number as S's option count over everyone;</item>
/// <item>per segment question S, question Q and option o: everyone's count = sum over S's segments + those who
/// skipped S (a group never shown); likewise for answered(Q);</item>
/// <item>a segment of S showing question T's option t is the same number as T's segment t showing S's option s.</item>
/// </list>
/// The overall number of respondents is always shown (it is the survey's size, not an answer). Within its own
/// segment a segment question is left out (everyone in it chose that option).
/// <para>Reporting groups (<see cref="ReportingView"/>) are applied first: figures are those of the groups.</para>
/// <para>With <c>earlier</c> releases of the survey, every figure is also protected as a difference from each of
/// them (see <see cref="Suppression"/>): what the respondents who came in between answered stays hidden too.</para>
/// </summary>
public static class ResultsBuilder
{
    public static SurveyResults Build(
        SurveyDefinition definition,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> counts,
        DateTimeOffset generatedAt,
        IReadOnlyList<PriorRelease>? earlier = null)
    {
        var view = ReportingView.Of(definition);
        definition = view.Definition;
        counts = view.Map(counts);
        var k = definition.MinGroupSize;
        var priors = (earlier ?? []).Select(p => (Counts: view.Map(p.Counts), Shown: ShownFigures(p.Published))).ToArray();
        var suppression = new Suppression(k, priors.Length);
        long Get(string scope, string counter) => Read(counts, scope, counter);
        // A figure of this release, with its value in each earlier release and whether that one showed it.
        int Figure(string scope, string counter) => suppression.Add(Get(scope, counter),
            [.. priors.Select(p => new Suppression.Earlier(Read(p.Counts, scope, counter), p.Shown.ContainsKey((scope, counter))))]);

        var segmentQuestions = definition.Segments.Select(definition.FindQuestion).OfType<Question>().ToList();

        // Figures of one scope: answered and option counts per question, with their own sums and containment.
        Dictionary<string, (int Answered, Dictionary<string, int> Options)> AddScope(string scope, string? skipQuestion)
        {
            var figures = new Dictionary<string, (int, Dictionary<string, int>)>(StringComparer.Ordinal);
            foreach (var question in definition.Questions)
            {
                if (question.Id == skipQuestion) continue;
                var answered = Figure(scope, Tally.Answered(question.Id));
                var options = question.ChoosableOptionIds.ToDictionary(
                    o => o, o => Figure(scope, Tally.Chose(question.Id, o)), StringComparer.Ordinal);
                suppression.AddContainment(answered, options.Values);
                if (question.Type == QuestionType.Single) suppression.AddSum(answered, options.Values);
                figures[question.Id] = (answered, options);
            }
            return figures;
        }

        var overall = AddScope(Tally.All, null);
        var segments = new List<(Question Segment, string OptionId, int Size, Dictionary<string, (int Answered, Dictionary<string, int> Options)> Figures)>();
        foreach (var segmentQuestion in segmentQuestions)
        {
            var ofThisQuestion = new List<(string OptionId, int Size, Dictionary<string, (int Answered, Dictionary<string, int> Options)> Figures)>();
            foreach (var optionId in segmentQuestion.ChoosableOptionIds)
            {
                var scope = Tally.SegmentScope(segmentQuestion.Id, optionId);
                var size = Figure(scope, Tally.Respondents);
                var figures = AddScope(scope, segmentQuestion.Id);
                suppression.AddSame(size, overall[segmentQuestion.Id].Options[optionId]);
                suppression.AddContainment(size, figures.Values.SelectMany(f => f.Options.Values.Prepend(f.Answered)));
                ofThisQuestion.Add((optionId, size, figures));
                segments.Add((segmentQuestion, optionId, size, figures));
            }
            suppression.AddSum(overall[segmentQuestion.Id].Answered, ofThisQuestion.Select(s => s.Size));

            // Those who skipped the segment question: never shown, but part of every overall figure.
            var skipped = Get(Tally.All, Tally.Respondents) - Get(Tally.All, Tally.Answered(segmentQuestion.Id));
            foreach (var question in definition.Questions.Where(q => q.Id != segmentQuestion.Id))
            {
                int? Skipped(string counter)
                {
                    if (skipped <= 0) return null;
                    long Rest(IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> from) =>
                        Read(from, Tally.All, counter) - ofThisQuestion.Sum(s => Read(from, Tally.SegmentScope(segmentQuestion.Id, s.OptionId), counter));
                    return suppression.Add(Rest(counts), [.. priors.Select(p => new Suppression.Earlier(Rest(p.Counts), Shown: false))], alwaysHidden: true);
                }
                var answeredParts = ofThisQuestion.Select(s => s.Figures[question.Id].Answered).ToList();
                if (Skipped(Tally.Answered(question.Id)) is { } skippedAnswered) answeredParts.Add(skippedAnswered);
                suppression.AddSum(overall[question.Id].Answered, answeredParts);
                foreach (var optionId in question.ChoosableOptionIds)
                {
                    var parts = ofThisQuestion.Select(s => s.Figures[question.Id].Options[optionId]).ToList();
                    if (Skipped(Tally.Chose(question.Id, optionId)) is { } skippedCount) parts.Add(skippedCount);
                    suppression.AddSum(overall[question.Id].Options[optionId], parts);
                }
            }
        }

        // The cross-tab of two segment questions appears twice: once in each one's segments.
        foreach (var a in segments)
        {
            foreach (var b in segments)
            {
                if (a.Segment.Id == b.Segment.Id) continue;
                suppression.AddSame(a.Figures[b.Segment.Id].Options[b.OptionId], b.Figures[a.Segment.Id].Options[a.OptionId]);
            }
        }

        suppression.Solve();

        List<QuestionResult> Questions(Dictionary<string, (int Answered, Dictionary<string, int> Options)> figures) =>
        [
            .. definition.Questions.Where(q => figures.ContainsKey(q.Id)).Select(question =>
            {
                var (answeredFigure, options) = figures[question.Id];
                if (suppression.IsHidden(answeredFigure))
                {
                    return new QuestionResult(question.Id, null,
                        [.. question.ChoosableOptionIds.Select(o => new OptionResult(o, null, null, Suppressed: true))], Suppressed: true);
                }
                var answered = suppression.Value(answeredFigure);
                return new QuestionResult(question.Id, (int)answered,
                [
                    .. question.ChoosableOptionIds.Select(o => suppression.IsHidden(options[o])
                        ? new OptionResult(o, null, null, Suppressed: true)
                        : new OptionResult(o, (int)suppression.Value(options[o]), Share(suppression.Value(options[o]), answered))),
                ]);
            }),
        ];

        return new SurveyResults(
            definition.Id,
            (int)Get(Tally.All, Tally.Respondents),
            generatedAt,
            k,
            Questions(overall),
            [
                .. segments.Select(s => suppression.IsHidden(s.Size)
                    ? new SegmentResult(s.Segment.Id, s.OptionId, null, null, Suppressed: true)
                    : new SegmentResult(s.Segment.Id, s.OptionId, (int)suppression.Value(s.Size), Questions(s.Figures))),
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

    private static long Read(IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> counts, string scope, string counter) =>
        counts.TryGetValue(scope, out var c) && c.TryGetValue(counter, out var v) ? v : 0;

    private static double Share(long count, long answered) => answered == 0 ? 0 : Math.Round((double)count / answered, 3);
}
