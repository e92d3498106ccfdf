using SurveyBackend.Aggregation;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Unit.Trends;

public sealed class WaveChangesTests
{
    private static readonly SurveyDefinition Now = new()
    {
        Id = "w-2017", Title = "2017", Status = SurveyStatus.Open, PreviousWave = "w-2016",
        Questions =
        [
            new Question { Id = "same", Text = "Same?", Type = QuestionType.Single, Options = [new() { Id = "a", Text = "A" }, new() { Id = "b", Text = "B" }] },
            new Question { Id = "new", Text = "New?", Type = QuestionType.Single, Options = [new() { Id = "a", Text = "A" }, new() { Id = "b", Text = "B" }] },
        ],
    };

    private static readonly SurveyDefinition Then = Now with { Id = "w-2016", PreviousWave = null, Questions = [Now.Questions[0]] };

    private static SurveyResults Results(string id, params QuestionResult[] questions) => new(id, 100, DateTimeOffset.UnixEpoch, 5, questions, []);

    [Fact]
    public void ChangeInPoints_IsTheShownShareNowMinusTheShownShareThen()
    {
        Assert.Equal(14.1m, WaveChanges.ChangeInPoints(0.553, 0.412));
        Assert.Equal(-20.0m, WaveChanges.ChangeInPoints(0.1, 0.3));
        Assert.Equal(0m, WaveChanges.ChangeInPoints(0.5, 0.5));
    }

    [Fact]
    public void ChangeInPoints_RoundsEachShareAsShownFirst()
    {
        // 12.35% is shown 12.4%, 12.24% is shown 12.2%: the change is 0.2 points, what a reader gets from the two
        // figures on the page, not the 0.11 of the unrounded shares.
        Assert.Equal(12.4m, SurveyBackend.Display.DisplayText.ShownPercent(0.1235));
        Assert.Equal(12.2m, SurveyBackend.Display.DisplayText.ShownPercent(0.1224));
        Assert.Equal(0.2m, WaveChanges.ChangeInPoints(0.1235, 0.1224));
        // Decimal arithmetic: no 0.30000000000000004.
        Assert.Equal(20.0m, WaveChanges.ChangeInPoints(0.3, 0.1));
    }

    [Fact]
    public void ChangeInPoints_HiddenOnEitherSide_IsNotShown()
    {
        Assert.Null(WaveChanges.ChangeInPoints(null, 0.4));
        Assert.Null(WaveChanges.ChangeInPoints(0.4, null));
        Assert.Null(WaveChanges.ChangeInPoints(null, null));
    }

    [Fact]
    public void Compare_TakesBothReleases_AndHidesTheChangeWhereEitherShareIsHidden()
    {
        var now = Results("w-2017",
            new QuestionResult("same", 100, [new OptionResult("a", 60, 0.6), new OptionResult("b", null, null, true)]),
            new QuestionResult("new", 100, [new OptionResult("a", 50, 0.5), new OptionResult("b", 50, 0.5)]));
        var then = Results("w-2016", new QuestionResult("same", 80, [new OptionResult("a", null, null, true), new OptionResult("b", 40, 0.5)]));

        var trends = WaveChanges.Compare(Now, now, Then, then);

        var same = trends.Single(t => t.QuestionId == "same");
        Assert.Equal(new OptionChange("a", 0.6, null, null), same.Options[0]);
        Assert.Equal(new OptionChange("b", null, 0.5, null), same.Options[1]);
        var added = trends.Single(t => t.QuestionId == "new");
        Assert.False(added.Comparison.IsComparable);
        Assert.Empty(added.Options);
    }

    [Fact]
    public void Compare_AHiddenQuestionThen_HidesEveryChange()
    {
        var now = Results("w-2017", new QuestionResult("same", 100, [new OptionResult("a", 60, 0.6), new OptionResult("b", 40, 0.4)]));
        var then = Results("w-2016", new QuestionResult("same", null, [new OptionResult("a", 3, 0.6), new OptionResult("b", 2, 0.4)], Suppressed: true));

        var same = WaveChanges.Compare(Now, now, Then, then).Single(t => t.QuestionId == "same");

        Assert.All(same.Options, o => Assert.Null(o.Change));
        Assert.All(same.Options, o => Assert.Null(o.PreviousShare));
    }

    [Fact]
    public void Largest_RanksShownChangesBySize_EitherWay_AndLeavesOutHiddenAndZero()
    {
        var trend = new QuestionTrend("q", new QuestionComparison("q", Comparability.Same),
        [
            new OptionChange("small", 0.5, 0.48, 2.0m),
            new OptionChange("fall", 0.1, 0.4, -30.0m),
            new OptionChange("hidden", 0.9, null, null),
            new OptionChange("flat", 0.3, 0.3, 0.0m),
            new OptionChange("rise", 0.6, 0.4, 20.0m),
            new OptionChange("tie", 0.52, 0.5, 2.0m),
        ]);

        var ranked = WaveChanges.Largest([trend], 3);

        Assert.Equal(["fall", "rise", "small"], ranked.Select(r => r.Option.OptionId));
        Assert.Equal(["fall", "rise", "small", "tie"], WaveChanges.Largest([trend], 10).Select(r => r.Option.OptionId));
    }
}
