using SurveyBackend.Aggregation;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Unit.Aggregation;

public sealed class ResultsBuilderTests
{
    private const int K = 5;

    private static Question Single(string id, params string[] options) => new()
    {
        Id = id, Text = id, Type = QuestionType.Single, Required = true,
        Options = [.. options.Select(o => new QuestionOption { Id = o, Text = o })],
    };

    private static Question Multiple(string id, params string[] options) => Single(id, options) with { Type = QuestionType.Multiple, Required = false };

    private static SurveyDefinition Survey(IReadOnlyList<string> segments, params Question[] questions) => new()
    {
        Id = "test-survey", Title = "T", Status = SurveyStatus.Open, MinGroupSize = K, Segments = segments, Questions = questions,
    };

    /// <summary>What the aggregates hold after counting these responses (the same code the counter uses).</summary>
    private static Dictionary<string, IReadOnlyDictionary<string, long>> Count(SurveyDefinition survey, IEnumerable<Dictionary<string, string[]>> responses)
    {
        var counts = new Dictionary<string, Dictionary<string, long>>();
        foreach (var response in responses)
        {
            var answers = response.ToDictionary(a => a.Key, a => (IReadOnlyList<string>)a.Value);
            foreach (var (scope, increments) in Tally.For(answers, survey.Segments))
            {
                if (!counts.TryGetValue(scope, out var into)) counts[scope] = into = [];
                Tally.Add(into, increments);
            }
        }
        return counts.ToDictionary(c => c.Key, c => (IReadOnlyDictionary<string, long>)c.Value);
    }

    private static IEnumerable<Dictionary<string, string[]>> Many(int n, params (string Q, string[] A)[] answers) =>
        Enumerable.Range(0, n).Select(_ => answers.ToDictionary(a => a.Q, a => a.A));

    private static SurveyResults Build(SurveyDefinition survey, IEnumerable<Dictionary<string, string[]>> responses) =>
        ResultsBuilder.Build(survey, Count(survey, responses), DateTimeOffset.UnixEpoch);

    [Fact]
    public void Overall_ShowsCountsAndShares_AndHidesSmallCellsWithTheirComplement()
    {
        var survey = Survey([], Single("q", "a", "b", "c"), Multiple("m", "x", "y"));
        var results = Build(survey,
            Many(10, ("q", ["a"]), ("m", ["x", "y"]))
            .Concat(Many(7, ("q", ["b"]), ("m", ["x"])))
            .Concat(Many(3, ("q", ["c"]), ("m", ["x"]))));

        Assert.Equal(20, results.Respondents);
        var q = results.Questions.Single(x => x.Id == "q");
        Assert.Equal(20, q.Answered);
        Assert.Equal(new int?[] { 10, null, null }, q.Options.Select(o => o.Count));
        Assert.Equal(0.5, q.Options[0].Share);
        Assert.True(q.Options[1].Suppressed);
        Assert.True(q.Options[2].Suppressed);

        // Multiple choice: options do not add up to the answered count, so no complement is needed.
        var m = results.Questions.Single(x => x.Id == "m");
        Assert.Equal(new int?[] { 20, 10 }, m.Options.Select(o => o.Count));
        Assert.Equal(0.5, m.Options[1].Share);
    }

    [Fact]
    public void Question_AnsweredByFewerThanMinGroupSize_IsSuppressedWhole()
    {
        var survey = Survey([], Single("q", "a", "b"), Multiple("rare", "x", "y"));
        var results = Build(survey, Many(20, ("q", ["a"])).Concat(Many(4, ("q", ["b"]), ("rare", ["x"]))));
        var rare = results.Questions.Single(x => x.Id == "rare");
        Assert.True(rare.Suppressed);
        Assert.Null(rare.Answered);
        Assert.All(rare.Options, o => { Assert.Null(o.Count); Assert.Null(o.Share); Assert.True(o.Suppressed); });
    }

    [Fact]
    public void Segments_With0_1_AndMinGroupSizeMinus1_AreSuppressed_AndMinGroupSizeIsShown()
    {
        var survey = Survey(["org"], Single("org", "none", "one", "few", "enough", "many"), Single("q", "x", "y"));
        var results = Build(survey,
            Many(1, ("org", ["one"]), ("q", ["x"]))
            .Concat(Many(K - 1, ("org", ["few"]), ("q", ["x"])))
            .Concat(Many(K, ("org", ["enough"]), ("q", ["x"])))
            .Concat(Many(2 * K, ("org", ["many"]), ("q", ["x"]))));

        var byOption = results.Segments.ToDictionary(s => s.OptionId);
        foreach (var hidden in new[] { "none", "one", "few" })
        {
            Assert.True(byOption[hidden].Suppressed);
            Assert.Null(byOption[hidden].Respondents);
            Assert.Null(byOption[hidden].Questions);
        }
        Assert.Equal(K, byOption["enough"].Respondents);
        Assert.Equal(2 * K, byOption["many"].Respondents);
        // The segment question is left out of its own segment.
        Assert.Equal(["q"], byOption["enough"].Questions!.Select(q => q.Id));
        // The overall counts of the segment question are the segment sizes: hidden alike.
        var org = results.Questions.Single(q => q.Id == "org");
        Assert.Equal(new int?[] { null, null, null, K, 2 * K }, org.Options.Select(o => o.Count));
    }

    [Fact]
    public void Segments_OneSmallSegment_HidesTheNextSmallestSegmentToo()
    {
        var survey = Survey(["org"], Single("org", "a", "b", "c"), Single("q", "x", "y"));
        var results = Build(survey,
            Many(3, ("org", ["a"]), ("q", ["x"]))
            .Concat(Many(10, ("org", ["b"]), ("q", ["x"])))
            .Concat(Many(12, ("org", ["c"]), ("q", ["y"]))));
        var byOption = results.Segments.ToDictionary(s => s.OptionId);
        Assert.True(byOption["a"].Suppressed);
        Assert.True(byOption["b"].Suppressed);
        Assert.Equal(12, byOption["c"].Respondents);
    }

    [Fact]
    public void SegmentCells_ASmallCellInOneSegment_IsNotDerivableFromTheOverallCount()
    {
        // q=x: 3 in segment a, 20 in segment b; overall 23. Hiding a's 3 alone would leave 23 - 20 = 3.
        var survey = Survey(["org"], Single("org", "a", "b"), Multiple("q", "x", "y"));
        var results = Build(survey,
            Many(3, ("org", ["a"]), ("q", ["x", "y"]))
            .Concat(Many(7, ("org", ["a"]), ("q", ["y"])))
            .Concat(Many(20, ("org", ["b"]), ("q", ["x", "y"]))));
        var overallX = results.Questions.Single(q => q.Id == "q").Options.Single(o => o.Id == "x");
        var a = results.Segments.Single(s => s.OptionId == "a").Questions!.Single(q => q.Id == "q").Options.Single(o => o.Id == "x");
        var b = results.Segments.Single(s => s.OptionId == "b").Questions!.Single(q => q.Id == "q").Options.Single(o => o.Id == "x");
        Assert.True(a.Suppressed);
        Assert.True(b.Suppressed || overallX.Suppressed, "either b's cell or the overall cell must be hidden too");
    }

    [Fact]
    public void OptionalSegmentQuestion_ThoseWhoSkippedIt_CannotBeWorkedOut()
    {
        // 2 people skipped org; both chose y. Showing overall y and both segments' y would reveal them.
        var survey = Survey(["org"], Single("org", "a", "b") with { Required = false }, Multiple("q", "x", "y"));
        var results = Build(survey,
            Many(10, ("org", ["a"]), ("q", ["x", "y"]))
            .Concat(Many(10, ("org", ["b"]), ("q", ["x", "y"])))
            .Concat(Many(2, ("q", ["y"]))));
        var overallY = results.Questions.Single(q => q.Id == "q").Options.Single(o => o.Id == "y");
        var segmentY = results.Segments.Select(s => s.Questions!.Single(q => q.Id == "q").Options.Single(o => o.Id == "y")).ToList();
        Assert.True(overallY.Suppressed || segmentY.Count(o => o.Suppressed) >= 1);
        Assert.False(!overallY.Suppressed && segmentY.Count(o => o.Suppressed) == 0);
    }

    [Fact]
    public void TwoSegmentQuestions_TheirCrossTabIsHiddenAlikeInBothPlaces()
    {
        var survey = Survey(["org", "region"], Single("org", "a", "b"), Single("region", "n", "s"));
        var results = Build(survey,
            Many(3, ("org", ["a"]), ("region", ["n"]))
            .Concat(Many(12, ("org", ["a"]), ("region", ["s"])))
            .Concat(Many(9, ("org", ["b"]), ("region", ["n"])))
            .Concat(Many(11, ("org", ["b"]), ("region", ["s"]))));
        OptionResult Cell(string segQ, string segO, string q, string o) =>
            results.Segments.Single(s => s.QuestionId == segQ && s.OptionId == segO) is { Questions: { } qs }
                ? qs.Single(x => x.Id == q).Options.Single(x => x.Id == o)
                : new OptionResult(o, null, null, true);
        foreach (var (org, region) in new[] { ("a", "n"), ("a", "s"), ("b", "n"), ("b", "s") })
        {
            Assert.Equal(Cell("org", org, "region", region).Count, Cell("region", region, "org", org).Count);
        }
        Assert.Null(Cell("org", "a", "region", "n").Count);
    }

    [Fact]
    public void RandomData_NoHiddenFigureIsTheTotalMinusTheShownParts()
    {
        var random = new Random(1234);
        var survey = Survey(["org"], Single("org", "a", "b", "c", "d"), Single("q", "x", "y", "z"), Multiple("m", "u", "v", "w"));
        for (var run = 0; run < 200; run++)
        {
            var responses = Enumerable.Range(0, random.Next(0, 60)).Select(_ => new Dictionary<string, string[]>
            {
                ["org"] = [survey.Questions[0].Options[Skewed(random, 4)].Id],
                ["q"] = [survey.Questions[1].Options[Skewed(random, 3)].Id],
                ["m"] = [.. survey.Questions[2].Options.Where(_ => random.Next(3) == 0).Select(o => o.Id)],
            }).ToList();
            var results = Build(survey, responses);

            // Every shown count is at least K; every single-choice row and every segment column is safe.
            var scopes = results.Segments.Where(s => !s.Suppressed).Select(s => s.Questions!).Prepend(results.Questions);
            foreach (var questions in scopes)
            {
                Assert.All(questions.SelectMany(q => q.Options), o => Assert.True(o.Count is null || o.Count >= K));
                foreach (var q in questions.Where(q => q.Id is "org" or "q" && q.Answered is not null))
                {
                    var hidden = q.Options.Count(o => o.Count is null);
                    var hiddenSum = q.Answered!.Value - q.Options.Sum(o => o.Count ?? 0);
                    Assert.True(hidden == 0 || (hidden >= 2 && hiddenSum >= K), $"run {run}: question {q.Id} leaks");
                }
            }
            foreach (var q in new[] { "q", "m" })
            {
                foreach (var option in survey.Questions.Single(x => x.Id == q).ChoosableOptionIds)
                {
                    var total = results.Questions.Single(x => x.Id == q).Options.Single(o => o.Id == option).Count;
                    if (total is null) continue;
                    var parts = results.Segments.Select(s => s.Questions?.Single(x => x.Id == q).Options.Single(o => o.Id == option).Count).ToList();
                    var hidden = parts.Count(p => p is null);
                    var hiddenSum = total.Value - parts.Sum(p => p ?? 0);
                    Assert.True(hidden == 0 || (hidden >= 2 && hiddenSum >= K), $"run {run}: {q}={option} leaks across segments");
                }
            }
        }
    }

    private static int Skewed(Random random, int n) => Math.Min(n - 1, (int)Math.Floor(Math.Pow(random.NextDouble(), 2) * n));

    [Fact]
    public void Csv_HasAHeaderAndOneRowPerFigure_WithHiddenCellsEmptyAndMarkedAlike()
    {
        var survey = Survey(["org"], Single("org", "a", "b", "c"), Single("q", "x", "y"));
        var results = Build(survey, Many(10, ("org", ["a"]), ("q", ["x"]))
            .Concat(Many(2, ("org", ["b"]), ("q", ["y"])))
            .Concat(Many(8, ("org", ["c"]), ("q", ["y"]))));
        var lines = ResultsCsv.Write(results, survey, release: null).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', ResultsCsv.Header), lines[0]);
        Assert.Contains(",,,20,org,org,a,a,20,10,0.5,false", lines);
        // b is small and c is hidden to protect it: the two rows cannot be told apart but by their ids.
        Assert.Contains(",,,20,org,org,b,b,20,,,true", lines);
        Assert.Contains(",,,20,org,org,c,c,20,,,true", lines);
        Assert.Contains(",,,20,q,q,x,x,20,10,0.5,false", lines);
        // A hidden group: a row per figure, each empty and hidden.
        Assert.Contains(",org,b,,q,q,x,x,,,,true", lines);
        Assert.Contains(",org,c,,q,q,y,y,,,,true", lines);
        // In segment a everyone chose x: showing x = 10 of 10 would tell that nobody chose y.
        Assert.Contains(",org,a,10,q,q,x,x,10,,,true", lines);
        Assert.Equal(1 + (3 + 2) + 3 * 2, lines.Length);
    }

    [Fact]
    public void Csv_NamesTheRelease_OnEveryRow()
    {
        var survey = Survey([], Single("q", "x", "y"));
        var results = Build(survey, Many(10, ("q", ["x"])).Concat(Many(10, ("q", ["y"]))));
        var lines = ResultsCsv.Write(results, survey, release: 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.StartsWith("3,", l));
    }
}
