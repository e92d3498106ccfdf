using SurveyBackend.Languages;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.Extensions.Logging;
using SurveyBackend.Display;
using SurveyBackend.Releases;
using SurveyBackend.Surveys;

namespace SurveyBackend.Form;

/// <summary>
/// The thank-you page's journey (<see cref="JourneyRenderer"/>) and "How you compare" when JavaScript is off: rendered on
/// the server from the submission it has just received and the survey's latest public release. Nothing about the respondent is stored or logged for it; the
/// answers are the ones in the request, gone with it. The same markup as compare.js builds.
/// </summary>
public sealed class ThankYouRenderer(ReleaseService releases, ILogger<ThankYouRenderer> logger)
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    /// <summary>The journey section (when the survey has a journey), then "How you compare", from one read of the latest public release.</summary>
    public async Task<string> RenderAsync(SurveyDefinition survey, IReadOnlyDictionary<string, IReadOnlyList<string>> answers, int headingLevel, UiText text, CancellationToken cancellationToken)
    {
        Release? release = null;
        var failed = false;
        try
        {
            release = await releases.FindLatestPublicAsync(survey.Id, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The answers are saved; only the figures from the release are missing. The page says so.
            logger.LogWarning(e, "The latest public release could not be read for the thank-you page");
            failed = true;
        }
        var inLanguage = survey.In(text.Language);
        var journey = JourneyScreen.Build(inLanguage, answers, release?.Number ?? 0, release?.CreatedAt ?? default, release?.Results,
            failed ? PeersMissing.Failed : PeersMissing.None, text);
        var compare = release is null ? null : HowYouCompare.Build(inLanguage, release.Number, release.CreatedAt, release.Results, answers, text);
        return (journey is null ? "" : JourneyRenderer.Render(journey, headingLevel, text)) + Render(compare, headingLevel, failed, text);
    }

    public static string Render(HowYouCompareFigures? model, int headingLevel, bool failed = false, UiText? text = null)
    {
        text ??= UiText.For(UiText.English);
        var h = "h" + headingLevel;
        var b = new StringBuilder(4096);
        b.Append("<section class=\"sv-compare\" aria-labelledby=\"sv-compare-title\"><").Append(h).Append(" class=\"sv-compare-title\" id=\"sv-compare-title\">")
            .Append(E(HowYouCompareText.Get("heading", text))).Append("</").Append(h).Append('>');
        if (model is null)
        {
            b.Append("<p class=\"sv-compare-none\">").Append(E(HowYouCompareText.Get(failed ? "failed" : "none", text))).Append("</p></section>");
            return b.ToString();
        }
        b.Append("<p>").Append(E(HowYouCompareText.Intro(model.Release, model.CreatedAt, model.Respondents, text))).Append("</p>")
            .Append("<p>").Append(E(HowYouCompareText.Get("private", text))).Append("</p>");
        foreach (var question in model.Questions)
        {
            b.Append("<table class=\"sv-compare-table\" data-question=\"").Append(E(question.QuestionId)).Append("\"><caption>").Append(E(question.Text)).Append("</caption>")
                .Append("<thead><tr><th scope=\"col\">").Append(E(HowYouCompareText.Get("answer", text))).Append("</th>");
            foreach (var column in model.Columns) b.Append("<th scope=\"col\">").Append(E(column.Label)).Append("</th>");
            b.Append("</tr></thead><tbody>");
            foreach (var row in question.Rows)
            {
                b.Append(row.IsStage ? "<tr class=\"sv-compare-stage\">" : "<tr>").Append("<th scope=\"row\">").Append(E(row.Label)).Append("</th>");
                foreach (var cell in row.Cells) b.Append("<td>").Append(E(cell)).Append("</td>");
                b.Append("</tr>");
            }
            b.Append("</tbody></table>");
        }
        if (model.HasHidden) b.Append("<p class=\"sv-compare-note\">").Append(E(DisplayText.Footnote(text))).Append("</p>");
        b.Append("</section>");
        return b.ToString();
    }

    private static string E(string value) => Html.Encode(value);
}
