using SurveyBackend.Aggregation;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Unit.Aggregation;

/// <summary>
/// The cross-release rule: a release protects the difference from every earlier release (the people who answered in
/// between) as it protects its own figures. The exact attacker over many releases is in the audit tests.
/// </summary>
public sealed class ReleaseSuppressionTests
{
    private const int K = 5;

    private static Question Single(string id, params string[] options) => new()
    {
        Id = id, Text = id, Type = QuestionType.Single, Required = true,
        Options = [.. options.Select(o => new QuestionOption { Id = o, Text = o })],
    };

    private static SurveyDefinition Survey(IReadOnlyList<string> segments, params Question[] questions) => new()
    {
        Id = "test-survey", Title = "T", Status = SurveyStatus.Open, MinGroupSize = K, Segments = segments, Questions = questions,
    };

    private sealed class Responses(SurveyDefinition survey)
    {
        private readonly Dictionary<string, Dictionary<string, long>> _counts = [];

        public Responses Add(int n, params (string Q, string A)[] answers)
        {
            var asked = answers.ToDictionary(a => a.Q, a => (IReadOnlyList<string>)[a.A]);
            for (var i = 0; i < n; i++)
            {
                foreach (var (scope, increments) in Tally.For(asked, survey.Segments))
                {
                    if (!_counts.TryGetValue(scope, out var into)) _counts[scope] = into = [];
                    Tally.Add(into, increments);
                }
            }
            return this;
        }

        /// <summary>A frozen copy of the counts now, as a release keeps them.</summary>
        public IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Freeze() =>
            _counts.ToDictionary(c => c.Key, c => (IReadOnlyDictionary<string, long>)new Dictionary<string, long>(c.Value));
    }

    private static int? Count(SurveyResults results, string question, string option) =>
        results.Questions.Single(q => q.Id == question).Options.Single(o => o.Id == option).Count;

    private static Question Multiple(string id, params string[] options) => Single(id, options) with { Type = QuestionType.Multiple };

    [Fact]
    public void Release_OneRespondentAfterTheLast_IsRefused_SayingExactlyHowManyMoreAreNeeded()
    {
        // The multiple-choice question lets a release of exactly five newcomers show something (m's x, +5).
        var survey = Survey([], Single("q", "a", "b", "c"), Multiple("m", "x", "y"));
        var responses = new Responses(survey).Add(20, ("q", "a"), ("m", "x")).Add(20, ("q", "b"), ("m", "x")).Add(20, ("q", "c"), ("m", "y"));
        var first = responses.Freeze();
        var release1 = new PriorRelease(first, ResultsBuilder.Build(survey, first, DateTimeOffset.UnixEpoch));

        Assert.Equal(K - 1, ReleaseRules.RespondentsNeeded(survey, responses.Add(1, ("q", "b"), ("m", "x")).Freeze(), [release1]));
        Assert.Equal(1, ReleaseRules.RespondentsNeeded(survey, responses.Add(3, ("q", "a"), ("m", "x")).Freeze(), [release1]));
        Assert.Equal(0, ReleaseRules.RespondentsNeeded(survey, responses.Add(1, ("q", "c"), ("m", "x")).Freeze(), [release1]));
    }

    [Fact]
    public void FirstRelease_NeedsMinGroupSizeRespondents()
    {
        var survey = Survey([], Single("q", "a", "b"));
        var responses = new Responses(survey).Add(3, ("q", "a"));
        Assert.Equal(2, ReleaseRules.RespondentsNeeded(survey, responses.Freeze(), []));
        Assert.Equal(0, ReleaseRules.RespondentsNeeded(survey, responses.Add(2, ("q", "a")).Add(5, ("q", "b")).Freeze(), []));
    }

    [Fact]
    public void FirstRelease_WhereEveryoneGaveTheSameAnswer_IsRefused_AsAllBlanks()
    {
        // Five of five chose a: showing 5 and 0 would say what each of them answered, so nothing could be shown.
        var survey = Survey([], Single("q", "a", "b"));
        Assert.True(ReleaseRules.RespondentsNeeded(survey, new Responses(survey).Add(5, ("q", "a")).Freeze(), []) > 0);
    }

    [Fact]
    public void Release_ThatWouldShowNoOptionCount_IsRefused()
    {
        var survey = Survey([], Single("q", "a", "b", "c"));
        var responses = new Responses(survey).Add(20, ("q", "a")).Add(20, ("q", "b")).Add(20, ("q", "c"));
        var first = responses.Freeze();
        var release1 = new PriorRelease(first, ResultsBuilder.Build(survey, first, DateTimeOffset.UnixEpoch));

        // Five more, spread so that no option gains five: every option count of release 2 would have to be hidden.
        var spread = responses.Add(2, ("q", "a")).Add(2, ("q", "b")).Add(1, ("q", "c")).Freeze();
        Assert.Equal(K - 2, ReleaseRules.RespondentsNeeded(survey, spread, [release1]));
    }

    [Fact]
    public void Figure_ThatGrewByLessThanMinGroupSize_IsHidden_WithAComplementInTheDifference()
    {
        var survey = Survey([], Single("q", "a", "b", "c"));
        var responses = new Responses(survey).Add(20, ("q", "a")).Add(20, ("q", "b")).Add(20, ("q", "c"));
        var first = responses.Freeze();
        var release1 = ResultsBuilder.Build(survey, first, DateTimeOffset.UnixEpoch);
        Assert.Equal(new int?[] { 20, 20, 20 }, release1.Questions[0].Options.Select(o => o.Count));

        // Ten new respondents: 8 chose a, 2 chose b. b is 22 now, but shown it would say what 2 people answered.
        var second = responses.Add(8, ("q", "a")).Add(2, ("q", "b")).Freeze();
        var naive = ResultsBuilder.Build(survey, second, DateTimeOffset.UnixEpoch);
        Assert.Equal(new int?[] { 28, 22, 20 }, naive.Questions[0].Options.Select(o => o.Count));

        var release2 = ResultsBuilder.Build(survey, second, DateTimeOffset.UnixEpoch, [new PriorRelease(first, release1)]);
        Assert.Null(Count(release2, "q", "b"));
        // b alone would be answered(+10) minus a(+8) minus c(+0); c's difference is 0, so hiding c adds nothing:
        // a (the only other part whose difference makes the hidden sum reach the threshold) is hidden too.
        Assert.Null(Count(release2, "q", "c"));
        Assert.Null(Count(release2, "q", "a"));
        Assert.Equal(70, release2.Questions[0].Answered);
    }

    [Fact]
    public void Segment_ThatGainedOneRespondent_IsHiddenWhole_InTheNewRelease()
    {
        var survey = Survey(["org"], Single("org", "county", "district"), Single("q", "a", "b"));
        var responses = new Responses(survey)
            .Add(10, ("org", "county"), ("q", "a")).Add(10, ("org", "county"), ("q", "b"))
            .Add(10, ("org", "district"), ("q", "a")).Add(10, ("org", "district"), ("q", "b"));
        var first = responses.Freeze();
        var release1 = ResultsBuilder.Build(survey, first, DateTimeOffset.UnixEpoch);
        Assert.All(release1.Segments, s => Assert.Equal(20, s.Respondents));

        // One new county respondent among ten new district ones: county's figures would give that one away.
        var second = responses.Add(1, ("org", "county"), ("q", "a")).Add(5, ("org", "district"), ("q", "a")).Add(5, ("org", "district"), ("q", "b")).Freeze();
        Assert.Equal(0, ReleaseRules.RespondentsNeeded(survey, second, [new PriorRelease(first, release1)]));
        var release2 = ResultsBuilder.Build(survey, second, DateTimeOffset.UnixEpoch, [new PriorRelease(first, release1)]);

        var county = release2.Segments.Single(s => s.OptionId == "county");
        Assert.True(county.Suppressed);
        Assert.Null(county.Respondents);
        // Without the earlier release, county (21 people, 11 and 10) would be shown in full.
        Assert.False(ResultsBuilder.Build(survey, second, DateTimeOffset.UnixEpoch).Segments.Single(s => s.OptionId == "county").Suppressed);
    }

    [Fact]
    public void EveryFigureShownInTwoReleases_GrewByAtLeastMinGroupSize_AcrossThreeReleases()
    {
        var survey = Survey(["org"], Single("org", "county", "district", "unitary"), Single("q", "a", "b", "c"));
        var random = new Random(7);
        var responses = new Responses(survey);
        string[] orgs = ["county", "district", "district", "unitary", "unitary", "unitary"];
        string[] answers = ["a", "a", "a", "b", "b", "c"];
        void AddRandom(int n)
        {
            for (var i = 0; i < n; i++) responses.Add(1, ("org", orgs[random.Next(orgs.Length)]), ("q", answers[random.Next(answers.Length)]));
        }

        var releases = new List<(IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Counts, SurveyResults Published)>();
        foreach (var batch in new[] { 60, 12, 25 })
        {
            AddRandom(batch);
            var counts = responses.Freeze();
            var earlier = releases.Select(r => new PriorRelease(r.Counts, r.Published)).ToList();
            Assert.Equal(0, ReleaseRules.RespondentsNeeded(survey, counts, earlier));
            releases.Add((counts, ResultsBuilder.Build(survey, counts, DateTimeOffset.UnixEpoch, earlier)));
        }

        var shownAnywhere = 0;
        for (var later = 1; later < releases.Count; later++)
        {
            var now = ResultsBuilder.ShownFigures(releases[later].Published);
            for (var before = 0; before < later; before++)
            {
                foreach (var (figure, then) in ResultsBuilder.ShownFigures(releases[before].Published))
                {
                    if (!now.TryGetValue(figure, out var value) || figure == (Tally.All, Tally.Respondents)) continue;
                    shownAnywhere++;
                    Assert.True(value - then >= K, $"{figure} went from {then} to {value} between releases {before + 1} and {later + 1}.");
                }
            }
        }
        Assert.True(shownAnywhere > 0, "Some figures must be shown in two releases, or this test proves nothing.");
    }
}
