using SurveyBackend.Aggregation;

namespace SurveyBackend.Tests.Unit.Aggregation;

public sealed class SuppressionTests
{
    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(4, true)]
    [InlineData(5, false)]
    [InlineData(500, false)]
    public void SingleFigure_BelowTheThreshold_IsHidden(long value, bool hidden)
    {
        var s = new Suppression(5);
        var figure = s.Add(value);
        s.Solve();
        Assert.Equal(hidden, s.IsHidden(figure));
    }

    [Fact]
    public void Sum_WithOneHiddenPart_HidesTheNextSmallestToo()
    {
        var s = new Suppression(5);
        var total = s.Add(20);
        int[] parts = [s.Add(3), s.Add(7), s.Add(10)];
        s.AddSum(total, parts);
        s.Solve();
        Assert.False(s.IsHidden(total));
        Assert.Equal([true, true, false], parts.Select(s.IsHidden));
    }

    [Fact]
    public void Sum_WithHiddenPartsAddingUpToLessThanTheThreshold_HidesMore()
    {
        var s = new Suppression(5);
        var total = s.Add(20);
        int[] parts = [s.Add(1), s.Add(2), s.Add(8), s.Add(9)];
        s.AddSum(total, parts);
        s.Solve();
        Assert.Equal([true, true, true, false], parts.Select(s.IsHidden));
    }

    [Fact]
    public void Sum_WhereTheHiddenPartsAreZeros_HidesEveryPart()
    {
        // Showing 10 of a total of 10 would say that both hidden cells are 0.
        var s = new Suppression(5);
        var total = s.Add(10);
        int[] parts = [s.Add(0), s.Add(0), s.Add(10)];
        s.AddSum(total, parts);
        s.Solve();
        Assert.All(parts, p => Assert.True(s.IsHidden(p)));
        Assert.False(s.IsHidden(total));
    }

    [Fact]
    public void Sum_WithAHiddenTotalAndEveryPartShown_HidesAPart()
    {
        var s = new Suppression(5);
        var parent = s.Add(2);
        var total = s.Add(12);
        s.AddContainment(parent, [total]);
        int[] parts = [s.Add(7), s.Add(5)];
        s.AddSum(total, parts);
        s.Solve();
        Assert.True(s.IsHidden(total));
        Assert.Equal([false, true], parts.Select(s.IsHidden));
    }

    [Fact]
    public void Sum_WithAnAlwaysHiddenPart_TreatsItAsHidden()
    {
        var s = new Suppression(5);
        var total = s.Add(20);
        var never = s.Add(0, alwaysHidden: true);
        int[] shown = [s.Add(10), s.Add(10)];
        s.AddSum(total, shown.Append(never));
        s.Solve();
        Assert.Equal([true, false], shown.Select(s.IsHidden));
    }

    [Fact]
    public void Same_AndContainment_Propagate_AndChainsOfSumsSettle()
    {
        var s = new Suppression(5);
        var a = s.Add(3);
        var b = s.Add(30);
        s.AddSame(a, b);
        var child = s.Add(50);
        s.AddContainment(b, [child]);
        // A second sum that the hidden child now unbalances.
        var total = s.Add(100);
        int[] parts = [child, s.Add(25), s.Add(25)];
        s.AddSum(total, parts);
        s.Solve();
        Assert.True(s.IsHidden(b));
        Assert.True(s.IsHidden(child));
        Assert.Equal(2, parts.Count(s.IsHidden));
    }
}
