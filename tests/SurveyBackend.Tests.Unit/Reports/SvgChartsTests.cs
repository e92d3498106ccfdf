using System.Xml.Linq;
using SurveyBackend.Reports;

namespace SurveyBackend.Tests.Unit.Reports;

public sealed class SvgChartsTests
{
    [Fact]
    public void Bars_AreWellFormedSvg_WithATitle_AndAHiddenFigureIsADashWithNoBar()
    {
        var svg = SvgCharts.Bars("c1", "Bar chart: Q", [new ChartBar("Yes & no", 0.25), new ChartBar("Hidden one", null)],
            new SvgCharts.Caption("Q <1>", ["n = 40 answered", SurveyBackend.Display.DisplayText.Footnote(SurveyBackend.Languages.UiText.For("en"))]));

        var root = XElement.Parse(SvgCharts.AsFile(svg).Split('\n', 2)[1]);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", root.Name);
        Assert.Equal("Bar chart: Q", root.Element(ns + "title")!.Value);
        var texts = root.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Contains("Q <1>", texts);
        Assert.Contains("25%", texts);
        Assert.Contains(SurveyBackend.Display.DisplayText.Hidden, texts);
        Assert.Contains(SurveyBackend.Display.DisplayText.Footnote(SurveyBackend.Languages.UiText.For("en")), texts);
        Assert.DoesNotContain(texts, t => t.Contains("fewer", StringComparison.OrdinalIgnoreCase));
        // Two tracks and one bar: the hidden figure has none.
        Assert.Equal(3, root.Descendants(ns + "rect").Count());
        Assert.Equal("130", root.Descendants(ns + "rect").ElementAt(1).Attribute("width")!.Value); // 25% of 520
    }

    [Fact]
    public void GroupedBars_DrawsABarPerSeries_InTheSeriesColours()
    {
        var svg = SvgCharts.GroupedBars("c2", "Grouped", ["Everyone", "Group A"], [new ChartCluster("Answer", [0.5, null])]);

        var root = XElement.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        var fills = root.Descendants(ns + "rect").Select(r => r.Attribute("fill")!.Value).ToList();
        Assert.Equal([SvgCharts.Colours[0], SvgCharts.Colours[1], SvgCharts.Colours[0]], fills); // two legend swatches, one bar
        Assert.Contains(SurveyBackend.Display.DisplayText.Hidden, root.Descendants(ns + "text").Select(t => t.Value));
    }

    [Fact]
    public void Wrap_BreaksAtSpaces()
    {
        Assert.Equal(["Scottish, Welsh", "and Northern", "Irish councils"], SvgCharts.Wrap("Scottish, Welsh and Northern Irish councils", 15));
    }
}
