using SurveyBackend.Aggregation;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Unit.Aggregation;

/// <summary>Reporting groups: results break down by merged options, so small groups show instead of going blank.</summary>
public sealed class ReportingViewTests
{
    private static Question Single(string id, params string[] options) => new()
    {
        Id = id, Text = id, Type = QuestionType.Single, Required = true,
        Options = [.. options.Select(o => new QuestionOption { Id = o, Text = o.ToUpperInvariant() })],
    };

    // Region: a big "london" and three small nations that only make a group together. Org: two kinds.
    private static SurveyDefinition Survey(bool grouped) => new()
    {
        Id = "test-survey", Title = "T", Status = SurveyStatus.Open, MinGroupSize = 5,
        Segments = ["region", "org"],
        Questions = [Single("region", "london", "scotland", "wales", "ni"), Single("org", "county", "district"), Single("q", "yes", "no")],
        ReportingGroups = grouped
            ? new Dictionary<string, IReadOnlyList<ReportingGroup>> { ["region"] = [new ReportingGroup("nations", "The nations", ["scotland", "wales", "ni"])] }
            : null,
    };

    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Count(SurveyDefinition survey)
    {
        var counts = new Dictionary<string, Dictionary<string, long>>();
        void Add(int n, string region, string org, string q)
        {
            IReadOnlyDictionary<string, IReadOnlyList<string>> answers = new Dictionary<string, IReadOnlyList<string>> { ["region"] = [region], ["org"] = [org], ["q"] = [q] };
            for (var i = 0; i < n; i++)
            {
                foreach (var (scope, increments) in Tally.For(answers, survey.Segments))
                {
                    if (!counts.TryGetValue(scope, out var into)) counts[scope] = into = [];
                    Tally.Add(into, increments);
                }
            }
        }
        Add(12, "london", "county", "yes"); Add(10, "london", "district", "no");
        Add(3, "scotland", "county", "yes"); Add(1, "scotland", "district", "no");
        Add(2, "wales", "county", "no"); Add(2, "wales", "district", "yes");
        Add(2, "ni", "county", "yes"); Add(2, "ni", "district", "no");
        return counts.ToDictionary(c => c.Key, c => (IReadOnlyDictionary<string, long>)c.Value);
    }

    [Fact]
    public void Results_BreakDownByTheGroup_WhereEachOptionAloneWouldBeHidden()
    {
        var ungrouped = ResultsBuilder.Build(Survey(grouped: false), Count(Survey(false)), DateTimeOffset.UnixEpoch);
        Assert.All(ungrouped.Segments.Where(s => s.QuestionId == "region" && s.OptionId != "london"), s => Assert.True(s.Suppressed));

        var survey = Survey(grouped: true);
        var results = ResultsBuilder.Build(survey, Count(survey), DateTimeOffset.UnixEpoch);

        Assert.Equal(["london", "nations"], results.Segments.Where(s => s.QuestionId == "region").Select(s => s.OptionId));
        var nations = results.Segments.Single(s => s.OptionId == "nations");
        Assert.Equal(12, nations.Respondents);
        var q = nations.Questions!.Single(x => x.Id == "q");
        Assert.Equal(new int?[] { 7, 5 }, q.Options.Select(o => o.Count));
        // The region question itself reports the group, never its members: member counts would give small cells away.
        Assert.Equal(["london", "nations"], results.Questions.Single(x => x.Id == "region").Options.Select(o => o.Id));
        Assert.Equal(new int?[] { 22, 12 }, results.Questions.Single(x => x.Id == "region").Options.Select(o => o.Count));
        // The other segments count the region by group as well.
        var county = results.Segments.Single(s => s.OptionId == "county");
        Assert.Equal(new int?[] { 12, 7 }, county.Questions!.Single(x => x.Id == "region").Options.Select(o => o.Count));
    }

    [Fact]
    public void View_NamesTheGroupByItsText_AtItsFirstMembersPlace()
    {
        var view = ReportingView.Of(Survey(grouped: true));
        var region = view.Definition.FindQuestion("region")!;
        Assert.Equal(["london", "nations"], region.Options.Select(o => o.Id));
        Assert.Equal("The nations", region.Options[1].Text);
        Assert.Equal(["county", "district"], view.Definition.FindQuestion("org")!.Options.Select(o => o.Id));
    }

    [Fact]
    public void Map_SumsTheMembersCounts_InEveryScope()
    {
        var survey = Survey(grouped: true);
        var mapped = ReportingView.Of(survey).Map(Count(survey));
        Assert.Equal(12, mapped[Tally.SegmentScope("region", "nations")][Tally.Respondents]);
        Assert.Equal(12, mapped[Tally.All][Tally.Chose("region", "nations")]);
        Assert.Equal(7, mapped[Tally.SegmentScope("org", "county")][Tally.Chose("region", "nations")]);
        Assert.False(mapped.ContainsKey(Tally.SegmentScope("region", "wales")));
        Assert.False(mapped[Tally.All].ContainsKey(Tally.Chose("region", "wales")));
    }
}
