using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using SurveyBackend.Aggregation;
using SurveyBackend.Releases;
using SurveyBackend.Storage;

namespace SurveyBackend.Tests.Unit.Releases;

public sealed class ReleaseTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-06-01T12:00:00Z");

    private static StoredRelease Made(int number) => new("s", number, 10 * number, Now, 0, null, null);

    [Fact]
    public void NextNumber_IsOneForTheFirst_ThenOneAfterTheHighest()
    {
        Assert.Equal(1, ReleaseService.NextNumber([]));
        Assert.Equal(2, ReleaseService.NextNumber([Made(1)]));
        Assert.Equal(4, ReleaseService.NextNumber([Made(1), Made(3), Made(2)]));
    }

    [Fact]
    public void LatestPublic_IsTheHighestReleaseWhoseReportIsPublic_NotTheHighestMade()
    {
        PublicRelease[] index = [new(1, Now.AddDays(-3)), new(2, Now.AddDays(-1)), new(3, Now.AddHours(1))];

        Assert.Equal(2, ReleaseService.LatestPublic(index, Now));
        Assert.Equal(3, ReleaseService.LatestPublic(index, Now.AddHours(1)));
        Assert.Null(ReleaseService.LatestPublic(index, Now.AddDays(-4)));
        Assert.Null(ReleaseService.LatestPublic([], Now));
    }

    [Fact]
    public void NotYetSafe_Is409ProblemJson_WithTheNumberAsAPropertyAndInWords()
    {
        var result = Assert.IsType<ObjectResult>(ReleaseEndpoints.NotYetSafe(3));
        var problem = Assert.IsType<ProblemDetails>(result.Value);

        Assert.Equal(409, result.StatusCode);
        Assert.Contains("application/problem+json", result.ContentTypes);
        Assert.Equal(3, problem.Extensions["respondentsNeeded"]);
        Assert.Contains("3 more respondents", problem.Detail);
        Assert.Contains("1 more respondent.", ((ProblemDetails)((ObjectResult)ReleaseEndpoints.NotYetSafe(1)).Value!).Detail);
    }

    [Fact]
    public void PublicJson_IsTheResultsShapePlusReleaseAndCreatedAt_AndReadsBack()
    {
        var results = new SurveyResults("s", 40, Now, 5,
            [new QuestionResult("q", 40, [new OptionResult("a", 36, 0.9), new OptionResult("b", null, null, true)])],
            [new SegmentResult("q", "b", null, null, true)]);
        var release = new Release("s", 3, 40, Now, HiddenFigures.Count(results), results);

        var json = JsonNode.Parse(release.ToPublicJson())!.AsObject();

        Assert.Equal(["surveyId", "respondents", "generatedAt", "minGroupSize", "questions", "segments", "release", "createdAt"], json.Select(p => p.Key));
        Assert.Equal(3, (int)json["release"]!);
        Assert.Equal(Now, DateTimeOffset.Parse((string)json["createdAt"]!));
        Assert.Null(json["questions"]![0]!["options"]![1]!["count"]?.GetValue<int?>());
        Assert.True((bool)json["questions"]![0]!["options"]![1]!["suppressed"]!);
        Assert.Equivalent(results, Release.ResultsFromPublicJson(release.ToPublicJson()));
    }

    [Fact]
    public void HiddenFigures_CountsAHiddenGroupOnce_AndEachHiddenFigureOfAShownScope()
    {
        var results = new SurveyResults("s", 40, Now, 5,
            [
                new QuestionResult("q", 40, [new OptionResult("a", 36, 0.9), new OptionResult("b", null, null, true), new OptionResult("c", null, null, true)]),
                new QuestionResult("m", null, [new OptionResult("x", null, null, true)], Suppressed: true),
            ],
            [
                new SegmentResult("q", "a", 36, [new QuestionResult("m", 36, [new OptionResult("x", 36, 1.0)])]),
                new SegmentResult("q", "b", null, null, true),
            ]);

        // q: b and c; m: answered and x; segment a: none; segment b: once.
        Assert.Equal(2 + 2 + 0 + 1, HiddenFigures.Count(results));
    }
}
