using SurveyBackend.Storage;

namespace SurveyBackend.Tests.Unit.Storage;

public sealed class AnswersTests
{
    [Fact]
    public void ToJson_ThenFromJson_GivesTheSameChoicesAndOtherText()
    {
        var answers = new Answers
        {
            Chosen = new Dictionary<string, IReadOnlyList<string>> { ["kind"] = ["county"], ["tools"] = ["x", "other"] },
            Other = new Dictionary<string, string> { ["tools"] = "A \"local\" forum" },
        };

        var read = Answers.FromJson(answers.ToJson());

        Assert.Equal(["kind", "tools"], read.Chosen.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["county"], read.Chosen["kind"]);
        Assert.Equal(["x", "other"], read.Chosen["tools"]);
        Assert.Equal("A \"local\" forum", read.Other["tools"]);
    }

    [Fact]
    public void ToJson_IsCamelCase_WithAListForEveryQuestion()
    {
        var answers = new Answers { Chosen = new Dictionary<string, IReadOnlyList<string>> { ["orgType"] = ["county"] } };
        Assert.Equal("""{"chosen":{"orgType":["county"]},"other":{}}""", answers.ToJson());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void FromJson_OfNothing_IsNoAnswers(string? json)
    {
        var read = Answers.FromJson(json);
        Assert.Empty(read.Chosen);
        Assert.Empty(read.Other);
    }
}
