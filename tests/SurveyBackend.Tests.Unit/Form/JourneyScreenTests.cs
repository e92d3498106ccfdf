using System.Net;
using SurveyBackend.Aggregation;
using SurveyBackend.Form;
using SurveyBackend.Journey;
using SurveyBackend.Languages;
using SurveyBackend.Surveys;
using SurveyBackend.Tests.Unit.Languages;

namespace SurveyBackend.Tests.Unit.Form;

/// <summary>The journey on the thank-you page without JavaScript: the respondent's stage and scores, and their peers from the release.</summary>
public sealed class JourneyScreenTests
{
    private static readonly SurveyDefinition Sample = WelshPages.Sample();
    private static readonly UiText English = UiText.For(UiText.English);
    private static readonly UiText Welsh = UiText.For(UiText.Welsh);

    // docs/journey.md's worked example: 40, "engaging"; indexes 43 and 38. A county council in London.
    private static readonly Dictionary<string, IReadOnlyList<string>> Answers = new()
    {
        ["maturity"] = ["engage"], ["customerService"] = ["ad-hoc"], ["insightUse"] = ["reach", "campaigns"],
        ["successMeasures"] = ["engagement", "satisfaction", "sentiment"], ["channels"] = ["twitter", "facebook", "instagram", "youtube"],
        ["teamSize"] = ["1-2"], ["organisationType"] = ["county"], ["region"] = ["london"],
    };

    private static QuestionResult Stages(int answered, params (string Id, int? Count)[] options) =>
        new(StageQuestion.Id, answered, [.. options.Select(o => o.Count is { } n
            ? new OptionResult(o.Id, n, Math.Round((double)n / answered, 3)) : new OptionResult(o.Id, null, null, true))]);

    private static SurveyResults Results(bool hideCounty = false, bool hideEmbedded = false) => new("s", 200, DateTimeOffset.UnixEpoch, 5,
        [Stages(200, ("broadcasting", 40), ("engaging", 100), ("serving", hideEmbedded ? null : 52), ("embedded", hideEmbedded ? null : 8))],
        [
            hideCounty ? new SegmentResult("organisationType", "county", null, null, true)
                : new SegmentResult("organisationType", "county", 40, [Stages(40, ("broadcasting", 10), ("engaging", 20), ("serving", 8), ("embedded", 2))]),
            new SegmentResult("region", "london", 30, [Stages(30, ("broadcasting", 3), ("engaging", 15), ("serving", 9), ("embedded", 3))]),
        ]);

    private static JourneyFigures Build(SurveyResults? results, UiText? text = null, PeersMissing missing = PeersMissing.None) =>
        JourneyScreen.Build(Sample.In((text ?? English).Language), Answers, 4, new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero), results, missing, text ?? English)!;

    [Fact]
    public void Build_PlacesTheRespondent_AndReadsThePeersOfTheirOrganisationTypeAndOfAllCouncils()
    {
        var model = Build(Results());

        Assert.Equal((40, "engaging"), (model.Result.Score, model.Result.Stage.Id));
        Assert.Equal([43, 38], model.Result.Indexes.Select(i => i.Score));
        var peers = model.Peers!;
        // Organisation type only (the first segment question), not region.
        Assert.Equal(["County council", "All councils"], peers.Columns);
        Assert.Equal(["broadcasting", "engaging", "serving", "embedded"], peers.Rows.Select(r => r.StageId));
        Assert.Equal(["engaging"], peers.Rows.Where(r => r.Yours).Select(r => r.StageId));
        Assert.Equal(["25%", "20%"], peers.Rows[0].Cells);
        Assert.Equal(["50%", "50%"], peers.Rows[1].Cells);
        Assert.Equal(["5%", "4%"], peers.Rows[3].Cells);
        Assert.False(peers.HasHidden);
    }

    [Fact]
    public void Build_AHiddenGroupOrShare_ReadsOnlyTheDash()
    {
        var peers = Build(Results(hideCounty: true, hideEmbedded: true)).Peers!;

        Assert.All(peers.Rows, r => Assert.Equal("–", r.Cells[0]));
        Assert.Equal(["20%", "50%", "–", "–"], peers.Rows.Select(r => r.Cells[1]));
        Assert.True(peers.HasHidden);
        var html = JourneyRenderer.Render(Build(Results(hideCounty: true, hideEmbedded: true)), 2, English);
        Assert.Contains("– Not shown, to protect respondents' anonymity.", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.DoesNotContain("fewer than", html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(false, PeersMissing.None, PeersMissing.NoRelease, "Where other councils are will appear here once the first results are published.")]
    [InlineData(false, PeersMissing.Failed, PeersMissing.Failed, "The published results could not be loaded just now")]
    [InlineData(true, PeersMissing.None, PeersMissing.NotCounted, "The published results do not count stages yet")]
    public void Build_WithoutPeers_SaysWhyPlainly_AndStillPlacesTheRespondent(bool releaseWithoutStages, PeersMissing given, PeersMissing expected, string says)
    {
        var results = releaseWithoutStages ? Results() with { Questions = [], Segments = [] } : null;
        var model = Build(results, missing: given);

        Assert.Null(model.Peers);
        Assert.Equal(expected, model.Missing);
        var html = JourneyRenderer.Render(model, 2, English);
        Assert.Contains(says, WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Contains("Your stage: <strong>Engaging</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("sv-journey-peers", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ShowsTheStage_TheScore_WhatToDoNext_TheIndexes_AndThePeers()
    {
        var html = JourneyRenderer.Render(Build(Results()), 2, English);
        var text = WebUtility.HtmlDecode(html);
        var engaging = Sample.Journey!.Stages[1];

        Assert.StartsWith("<section class=\"sv-journey\" id=\"journey\"", html, StringComparison.Ordinal);
        Assert.Contains("<h2 class=\"sv-journey-title\" id=\"sv-journey-title\">Your council on the social media journey</h2>", html, StringComparison.Ordinal);
        Assert.Contains("Your score: <strong>40 out of 100</strong>", html, StringComparison.Ordinal);
        Assert.Contains(engaging.About, text, StringComparison.Ordinal);
        Assert.Contains("<h3 class=\"sv-journey-subtitle\">What to do next</h3><p class=\"sv-journey-next\">", html, StringComparison.Ordinal);
        Assert.Contains(engaging.Next, text, StringComparison.Ordinal);
        Assert.Contains("<tr><th scope=\"row\">Reach and engagement</th><td>43</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("From release 4 of the published results, made 1 December 2026.", text, StringComparison.Ordinal);
        Assert.Contains("<tr class=\"sv-journey-yours\" data-stage=\"engaging\"><th scope=\"row\">Engaging <span class=\"sv-journey-mark\">(your stage)</span></th><td>50%</td><td>50%</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("print this page", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_InWelsh_ShowsNoEnglishUiString()
    {
        var html = JourneyRenderer.Render(Build(Results(hideCounty: true), Welsh), 2, Welsh)
            + JourneyRenderer.Render(Build(null, Welsh), 2, Welsh) + JourneyRenderer.Render(Build(null, Welsh, PeersMissing.Failed), 2, Welsh)
            + JourneyRenderer.Render(Build(Results() with { Questions = [] }, Welsh), 2, Welsh);

        Assert.Empty(WelshPages.EnglishOn(html));
        Assert.Contains("Eich sgôr: <strong>40 allan o 100</strong>", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Contains("Cyngor sir", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ASurveyWithoutAJourney_HasNoJourneySection()
    {
        Assert.Null(JourneyScreen.Build(Sample with { Journey = null }, Answers, 1, DateTimeOffset.UnixEpoch, Results(), PeersMissing.None, English));
    }
}
