using SurveyBackend.Aggregation;

namespace SurveyBackend.Tests.Unit.Aggregation;

public sealed class TallyTests
{
    [Fact]
    public void For_CountsEveryoneAndEachAnsweredSegment()
    {
        var answers = new Dictionary<string, IReadOnlyList<string>>
        {
            ["org"] = ["county"],
            ["channels"] = ["twitter", "facebook"],
            ["skipped"] = [],
        };
        var tally = Tally.For(answers, ["org", "region"]);

        Assert.Equal(["all", "seg|org|county"], tally.Keys.Order());
        Assert.Equal(
            ["a|channels", "a|org", "n", "o|channels|facebook", "o|channels|twitter", "o|org|county"],
            tally["all"].Order());
        Assert.Equal(tally["all"], tally["seg|org|county"]);
    }

    [Fact]
    public void For_WithADay_CountsItInTheOverallScopeOnly()
    {
        var answers = new Dictionary<string, IReadOnlyList<string>> { ["org"] = ["county"] };
        var tally = Tally.For(answers, ["org"], "2026-12-01");

        Assert.Contains("d|2026-12-01", tally["all"]);
        Assert.DoesNotContain(tally["seg|org|county"], c => c.StartsWith(Tally.DayPrefix, StringComparison.Ordinal));
        Assert.Equal(Tally.For(answers, ["org"])["seg|org|county"], tally["seg|org|county"]);
    }

    [Fact]
    public void For_CountsARepeatedOptionOnce()
    {
        var tally = Tally.For(new Dictionary<string, IReadOnlyList<string>> { ["q"] = ["a", "a"] }, []);
        Assert.Single(tally["all"], c => c == "o|q|a");
    }

    [Fact]
    public void ShardOf_IsStableAndSpreadsKeys()
    {
        var keys = Enumerable.Range(0, 1600).Select(i => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i)))).ToList();
        Assert.Equal(keys.Select(k => ResponseCounter.ShardOf(k, 16)), keys.Select(k => ResponseCounter.ShardOf(k, 16)));
        var perShard = keys.GroupBy(k => ResponseCounter.ShardOf(k, 16)).Select(g => g.Count()).ToList();
        Assert.Equal(16, perShard.Count);
        Assert.All(perShard, n => Assert.InRange(n, 60, 140));
    }
}
