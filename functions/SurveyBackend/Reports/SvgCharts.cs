using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using SurveyBackend.Display;

namespace SurveyBackend.Reports;

/// <summary>
/// One bar: a label and a share (null when the figure is hidden: it is drawn as "–", nothing more); with a previous
/// wave, its share then (drawn as a marker, when shown) and the change in points (written after the share, when shown).
/// </summary>
public sealed record ChartBar(string Label, double? Share, double? Previous = null, decimal? Change = null);

/// <summary>One answer in a chart by group: its label and, per series (everyone first, then each group), a share or null when hidden.</summary>
public sealed record ChartCluster(string Label, IReadOnlyList<double?> Shares);

/// <summary>
/// The one SVG chart builder (page, slides, downloads): plain SVG 1.1, no script, font or image, so it renders under
/// <c>default-src 'none'</c> and as a file; in viewBox units, so it scales from phone to projector. A hidden figure is
/// never a bar: it reads <see cref="DisplayText.Hidden"/>, as everywhere else.
/// </summary>
public static class SvgCharts
{
    /// <summary>Series colours: everyone first (near black), then groups. Each is at least 3:1 against white (WCAG 1.4.11).</summary>
    public static readonly string[] Colours = ["#222222", "#0072b2", "#c85200", "#007a5e", "#a8437a", "#806600", "#5b4fa0", "#56606b"];

    private const string Text = "#1a1a1a";
    private const string Track = "#e3e7ee";
    private const string Font = "system-ui,-apple-system,Segoe UI,Roboto,Arial,sans-serif";
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly HtmlEncoder Xml = HtmlEncoder.Default;

    /// <summary>Words for a standalone chart (a downloaded file, a slide): its title and the lines under it.</summary>
    public sealed record Caption(string Title, IReadOnlyList<string> Notes);

    /// <summary>
    /// A wide chart of one question's answers (the slides): labels on the left, bars, the figure at the end of each bar.
    /// With <paramref name="caption"/>, the title and notes are drawn in the SVG, so the file explains itself.
    /// </summary>
    public static string Bars(string id, string description, IReadOnlyList<ChartBar> bars, Caption? caption = null)
    {
        const double width = 960, labelWidth = 330, barX = 345, row = 44, barHeight = 26;
        // With changes written after the shares, the bars give up room for them.
        var withChanges = bars.Any(b => b.Change is not null);
        var barMax = withChanges ? 420.0 : 520.0;
        var svg = new StringBuilder(4096);
        var y = 8.0;
        var top = new StringBuilder();
        if (caption is not null) y = AppendCaptionTop(top, caption.Title, width, 28, 34);

        var body = new StringBuilder();
        foreach (var bar in bars)
        {
            var lines = Wrap(bar.Label, 30);
            var rowHeight = Math.Max(row, lines.Count * 22 + 10);
            var mid = y + rowHeight / 2;
            var first = mid - (lines.Count - 1) * 11 + 7;
            body.Append("<text x=\"").Append(N(labelWidth)).Append("\" text-anchor=\"end\" font-size=\"20\">");
            for (var i = 0; i < lines.Count; i++)
                body.Append("<tspan x=\"").Append(N(labelWidth)).Append("\" y=\"").Append(N(first + i * 22)).Append("\">").Append(E(lines[i])).Append("</tspan>");
            body.Append("</text>");
            body.Append("<rect x=\"").Append(N(barX)).Append("\" y=\"").Append(N(mid - barHeight / 2)).Append("\" width=\"").Append(N(barMax))
                .Append("\" height=\"").Append(N(barHeight)).Append("\" fill=\"").Append(Track).Append("\"/>");
            if (bar.Share is { } share)
            {
                var w = Math.Clamp(share, 0, 1) * barMax;
                if (w > 0)
                    body.Append("<rect x=\"").Append(N(barX)).Append("\" y=\"").Append(N(mid - barHeight / 2)).Append("\" width=\"").Append(N(w))
                        .Append("\" height=\"").Append(N(barHeight)).Append("\" fill=\"").Append(Colours[1]).Append("\"/>");
            }
            if (bar.Previous is { } previous)
            {
                // A dark line edged in white, a little taller than the bar: it reads on the bar and on the track alike.
                var x = barX + Math.Clamp(previous, 0, 1) * barMax;
                body.Append("<rect class=\"was\" x=\"").Append(N(x - 2)).Append("\" y=\"").Append(N(mid - barHeight / 2 - 5)).Append("\" width=\"4\" height=\"")
                    .Append(N(barHeight + 10)).Append("\" fill=\"").Append(Text).Append("\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>");
            }
            body.Append("<text x=\"").Append(N(barX + barMax + 10)).Append("\" y=\"").Append(N(mid + 7)).Append("\" font-size=\"20\" font-weight=\"600\">")
                .Append(E(DisplayText.Share(bar.Share)));
            if (bar.Change is { } change) body.Append("<tspan font-weight=\"400\"> (").Append(E(TrendWords.Points(change))).Append(")</tspan>");
            body.Append("</text>");
            y += rowHeight;
        }
        var bottom = new StringBuilder();
        if (caption is not null) y = AppendNotes(bottom, caption.Notes, y + 10, 18, 24);
        y += 8;

        Open(svg, id, description, width, y);
        svg.Append(top).Append(body).Append(bottom).Append("</svg>");
        return svg.ToString();
    }

    /// <summary>
    /// One question's answers for everyone and each group beside them (the report's charts by group): a legend, then per
    /// answer its label and one thin bar per series, the figure after each. Narrow (360 units), so it reads on a phone.
    /// </summary>
    public static string GroupedBars(string id, string description, IReadOnlyList<string> series, IReadOnlyList<ChartCluster> clusters, Caption? caption = null)
    {
        const double width = 360, barMax = 300, barHeight = 10, gap = 3;
        var body = new StringBuilder(8192);
        var y = 4.0;
        if (caption is not null) y = AppendCaptionTop(body, caption.Title, width, 16, 20);

        // The legend: a swatch and the name, one a line (group names can be long).
        for (var s = 0; s < series.Count; s++)
        {
            foreach (var (line, index) in Wrap(series[s], 44).Select((l, i) => (l, i)))
            {
                if (index == 0)
                    body.Append("<rect x=\"0\" y=\"").Append(N(y + 3)).Append("\" width=\"12\" height=\"12\" fill=\"").Append(Colour(s)).Append("\"/>");
                body.Append("<text x=\"18\" y=\"").Append(N(y + 13)).Append("\" font-size=\"13\">").Append(E(line)).Append("</text>");
                y += 17;
            }
        }
        y += 8;

        foreach (var cluster in clusters)
        {
            foreach (var line in Wrap(cluster.Label, 38))
            {
                body.Append("<text x=\"0\" y=\"").Append(N(y + 13)).Append("\" font-size=\"14\" font-weight=\"600\">").Append(E(line)).Append("</text>");
                y += 17;
            }
            y += 2;
            for (var s = 0; s < cluster.Shares.Count; s++)
            {
                var share = cluster.Shares[s];
                var w = share is { } v ? Math.Clamp(v, 0, 1) * barMax : 0;
                if (w > 0)
                    body.Append("<rect y=\"").Append(N(y)).Append("\" width=\"").Append(N(w)).Append("\" height=\"").Append(N(barHeight))
                        .Append("\" fill=\"").Append(Colour(s)).Append("\"/>");
                body.Append("<text x=\"").Append(N(w + 4)).Append("\" y=\"").Append(N(y + 9.5)).Append("\" font-size=\"12\">")
                    .Append(E(DisplayText.Share(share))).Append("</text>");
                y += barHeight + gap;
            }
            y += 10;
        }
        if (caption is not null) y = AppendNotes(body, caption.Notes, y, 12, 16);

        var svg = new StringBuilder(body.Length + 512);
        Open(svg, id, description, width, y + 2);
        svg.Append(body).Append("</svg>");
        return svg.ToString();
    }

    /// <summary>An SVG file of its own: the XML declaration and namespace make it open in any viewer.</summary>
    public static string AsFile(string svg) => "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg + "\n";

    private static void Open(StringBuilder svg, string id, string description, double width, double height)
    {
        svg.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart-svg\" viewBox=\"0 0 ").Append(N(width)).Append(' ').Append(N(Math.Ceiling(height)))
            .Append("\" width=\"").Append(N(width)).Append("\" height=\"").Append(N(Math.Ceiling(height)))
            .Append("\" role=\"img\" aria-labelledby=\"").Append(E(id)).Append("-t\" font-family=\"").Append(Font).Append("\" fill=\"").Append(Text).Append("\">")
            .Append("<title id=\"").Append(E(id)).Append("-t\">").Append(E(description)).Append("</title>");
    }

    private static double AppendCaptionTop(StringBuilder svg, string title, double width, int size, int lineHeight)
    {
        var y = 4.0;
        foreach (var line in Wrap(title, (int)(width / (size * 0.55))))
        {
            y += lineHeight;
            svg.Append("<text x=\"0\" y=\"").Append(N(y)).Append("\" font-size=\"").Append(size).Append("\" font-weight=\"700\">").Append(E(line)).Append("</text>");
        }
        return y + lineHeight / 2.0;
    }

    private static double AppendNotes(StringBuilder svg, IReadOnlyList<string> notes, double y, int size, int lineHeight)
    {
        foreach (var note in notes)
        {
            y += lineHeight;
            svg.Append("<text x=\"0\" y=\"").Append(N(y)).Append("\" font-size=\"").Append(size).Append("\" fill=\"#4a4a4a\">").Append(E(note)).Append("</text>");
        }
        return y + 4;
    }

    private static string Colour(int series) => Colours[series % Colours.Length];


    /// <summary>SVG text does not wrap: break at spaces into lines of at most about <paramref name="max"/> characters.</summary>
    internal static List<string> Wrap(string text, int max)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > max)
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0 || lines.Count == 0) lines.Add(line.ToString());
        return lines;
    }

    private static string N(double value) => Math.Round(value, 1).ToString("0.#", Invariant);

    private static string E(string value) => Xml.Encode(value);
}
