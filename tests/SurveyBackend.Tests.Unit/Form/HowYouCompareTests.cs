using SurveyBackend.Aggregation;
using SurveyBackend.Display;
using SurveyBackend.Form;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Unit.Form;

public sealed class HowYouCompareTests
{
    private static readonly SurveyDefinition Survey = new()
    {
        Id = "s-1",
        Title = "S",
        Status = SurveyStatus.Open,
        Segments = ["kind"],
        ReportingGroups = new Dictionary<string, IReadOnlyList<ReportingGroup>> { ["kind"] = [new ReportingGroup("small", "Small ones", ["b", "c"])] },
        Questions =
        [
            new Question { Id = "kind", Text = "Kind?", Type = QuestionType.Single, Options = [new() { Id = "a", Text = "Alpha" }, new() { Id = "b", Text = "Beta" }, new() { Id = "c", Text = "Gamma" }] },
            new Question { Id = "stage", Text = "Stage?", Type = QuestionType.Single, Ordered = true, Options = [new() { Id = "s1", Text = "One" }, new() { Id = "s2", Text = "Two" }, new() { Id = "s3", Text = "Three" }] },
        ],
    };

    private static SurveyResults Results(bool hideGroup = false, bool hideFirstStage = false) => new("s-1", 100, DateTimeOffset.UnixEpoch, 5,
        [
            new QuestionResult("kind", 100, [new OptionResult("a", 60, 0.6), new OptionResult("small", 40, 0.4)]),
            new QuestionResult("stage", 100, [hideFirstStage ? new OptionResult("s1", null, null, true) : new OptionResult("s1", 20, 0.2), new OptionResult("s2", 50, 0.5), new OptionResult("s3", 30, 0.3)]),
        ],
        [
            new SegmentResult("kind", "a", 60, [new QuestionResult("stage", 60, [new OptionResult("s1", 6, 0.1), new OptionResult("s2", 30, 0.5), new OptionResult("s3", 24, 0.4)])]),
            hideGroup ? new SegmentResult("kind", "small", null, null, true)
                : new SegmentResult("kind", "small", 40, [new QuestionResult("stage", 40, [new OptionResult("s1", 14, 0.35), new OptionResult("s2", 20, 0.5), new OptionResult("s3", 6, 0.15)])]),
        ]);

    private static readonly Dictionary<string, IReadOnlyList<string>> Answers = new() { ["kind"] = ["c"], ["stage"] = ["s2"] };

    [Fact]
    public void Build_MapsTheRespondentToTheirGroup_AndGivesTheShareAtTheirStageOrEarlier()
    {
        var model = HowYouCompare.Build(Survey, 3, DateTimeOffset.UnixEpoch, Results(), Answers);

        Assert.Equal(["Everyone", "Small ones"], model.Columns.Select(c => c.Label));
        var kind = model.Questions.Single(q => q.QuestionId == "kind");
        // Their own segment question: everyone's share of their group, and no figure for the group itself.
        var own = Assert.Single(kind.Rows);
        Assert.Equal("Small ones", own.Label);
        Assert.Equal(["40%", ""], own.Cells);
        var stage = model.Questions.Single(q => q.QuestionId == "stage");
        Assert.Equal(["50%", "50%"], stage.Rows[0].Cells);
        Assert.True(stage.Rows[1].IsStage);
        Assert.Equal(["70%", "85%"], stage.Rows[1].Cells); // (20 + 50) / 100; (14 + 20) / 40
        Assert.False(model.HasHidden);
    }

    [Fact]
    public void Build_AHiddenGroupOrFigure_ReadsOnlyTheDash_AndNothingIsWorkedOutFromTheRest()
    {
        var model = HowYouCompare.Build(Survey, 3, DateTimeOffset.UnixEpoch, Results(hideGroup: true, hideFirstStage: true), Answers);

        var stage = model.Questions.Single(q => q.QuestionId == "stage");
        Assert.Equal(["50%", DisplayText.Hidden], stage.Rows[0].Cells);
        // s1 is hidden: "at s2 or earlier" would give it away (answered - s3 - s2), so it is hidden too.
        Assert.Equal([DisplayText.Hidden, DisplayText.Hidden], stage.Rows[1].Cells);
        Assert.True(model.HasHidden);

        var html = ThankYouRenderer.Render(model, 2);
        Assert.Contains("<p class=\"sv-compare-note\">&#x2013; Not shown, to protect respondents&#x27; anonymity.</p>", html);
        Assert.DoesNotContain("fewer", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Render_WithNoPublicRelease_SaysSoPlainly()
    {
        var html = ThankYouRenderer.Render(null, 2);

        Assert.Contains("<h2 class=\"sv-compare-title\" id=\"sv-compare-title\">How you compare</h2>", html);
        Assert.Contains("The first results will appear here once published.", html);
        Assert.DoesNotContain("<table", html);
    }

    [Fact]
    public void FormJs_CarriesCompareJs_WithTheSameWords()
    {
        Assert.Contains("var Compare = (function () {", FormAssets.FormJs.Content);
        Assert.DoesNotContain("__COMPARE_", FormAssets.FormJs.Content);
        Assert.Contains("\"none\":\"The first results will appear here once published.\"", FormAssets.FormJs.Content);
        Assert.Contains(".sv-compare-table", FormAssets.Css);
    }
}
