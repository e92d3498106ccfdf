using System.Text;
using System.Text.Encodings.Web;
using SurveyBackend.Display;
using SurveyBackend.Languages;

namespace SurveyBackend.Form;

/// <summary>
/// The journey section of the thank-you page without JavaScript (<c>id="journey"</c>): the same markup journey-screen.js
/// builds, but a hint to print the page where the script has its print button. The print CSS (journey.css) prints this
/// section alone, on one A4 page.
/// </summary>
public static class JourneyRenderer
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    public static string Render(JourneyFigures model, int headingLevel, UiText text)
    {
        string T(string key) => E(JourneyScreenText.Get(key, text));
        var h = "h" + headingLevel;
        var sub = "h" + (headingLevel + 1);
        var result = model.Result;
        var b = new StringBuilder(4096);
        b.Append("<section class=\"sv-journey\" id=\"journey\" aria-labelledby=\"sv-journey-title\" data-stage=\"").Append(E(result.Stage.Id)).Append("\">")
            .Append('<').Append(h).Append(" class=\"sv-journey-title\" id=\"sv-journey-title\">").Append(E(model.Title)).Append("</").Append(h).Append('>')
            .Append("<p class=\"sv-journey-stage\">").Append(T("stage")).Append(": <strong>").Append(E(result.Stage.Name)).Append("</strong></p>")
            .Append("<p class=\"sv-journey-score\">").Append(T("score")).Append(": <strong>").Append(E(JourneyScreenText.OutOf(result.Score, text))).Append("</strong></p>")
            .Append("<p class=\"sv-journey-about\">").Append(E(result.Stage.About)).Append("</p>")
            .Append('<').Append(sub).Append(" class=\"sv-journey-subtitle\">").Append(T("next")).Append("</").Append(sub).Append('>')
            .Append("<p class=\"sv-journey-next\">").Append(E(result.Stage.Next)).Append("</p>");
        if (result.Indexes.Count > 0)
        {
            b.Append("<table class=\"sv-journey-indexes\"><caption>").Append(T("indexes")).Append("</caption><thead><tr><th scope=\"col\">")
                .Append(T("index")).Append("</th><th scope=\"col\">").Append(T("indexScore")).Append("</th></tr></thead><tbody>");
            foreach (var index in result.Indexes)
                b.Append("<tr><th scope=\"row\">").Append(E(index.Index.Name)).Append("</th><td>").Append(index.Score).Append("</td></tr>");
            b.Append("</tbody></table>");
        }
        b.Append('<').Append(sub).Append(" class=\"sv-journey-subtitle\">").Append(T("peers")).Append("</").Append(sub).Append('>');
        Peers(b, model, text);
        b.Append("<p class=\"sv-journey-private\">").Append(E(text["compare.private"])).Append("</p>")
            .Append("<p class=\"sv-journey-hint\">").Append(T("printHint")).Append("</p></section>");
        return b.ToString();
    }

    private static void Peers(StringBuilder b, JourneyFigures model, UiText text)
    {
        if (model.Peers is not { } peers)
        {
            var why = model.Missing switch { PeersMissing.Failed => "failed", PeersMissing.NotCounted => "notCounted", _ => "none" };
            b.Append("<p class=\"sv-journey-none\">").Append(E(JourneyScreenText.Get(why, text))).Append("</p>");
            return;
        }
        b.Append("<p class=\"sv-journey-intro\">").Append(E(JourneyScreenText.PeersIntro(peers.Release, peers.CreatedAt, text))).Append("</p>")
            .Append("<table class=\"sv-journey-peers\"><caption>").Append(E(JourneyScreenText.Get("peersCaption", text))).Append("</caption><thead><tr><th scope=\"col\">")
            .Append(E(JourneyScreenText.Get("stageColumn", text))).Append("</th>");
        foreach (var column in peers.Columns) b.Append("<th scope=\"col\">").Append(E(column)).Append("</th>");
        b.Append("</tr></thead><tbody>");
        foreach (var row in peers.Rows)
        {
            b.Append(row.Yours ? "<tr class=\"sv-journey-yours\"" : "<tr").Append(" data-stage=\"").Append(E(row.StageId)).Append("\"><th scope=\"row\">").Append(E(row.Name));
            if (row.Yours) b.Append(" <span class=\"sv-journey-mark\">").Append(E(JourneyScreenText.Get("yours", text))).Append("</span>");
            b.Append("</th>");
            foreach (var cell in row.Cells) b.Append("<td>").Append(E(cell)).Append("</td>");
            b.Append("</tr>");
        }
        b.Append("</tbody></table>");
        if (peers.HasHidden) b.Append("<p class=\"sv-journey-note\">").Append(E(DisplayText.Footnote(text))).Append("</p>");
    }

    private static string E(string value) => Html.Encode(value);
}
