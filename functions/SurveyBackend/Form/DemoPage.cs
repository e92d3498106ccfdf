using System.Net;
using SurveyBackend.Languages;

namespace SurveyBackend.Form;

/// <summary>
/// A stand-in for the community site (<c>/api/demo</c>, docs/form.md), so a newcomer sees the embed working at once.
/// Its styles deliberately clash, like a CMS's, to show they cannot reach into the form. No data passes through it.
/// </summary>
public static class DemoPage
{
    public const string SurveyId = "social-media-in-local-government";

    private const string Css = """
        html { font-size: 10px; }
        body { margin: 0; font: 1.8rem/1.6 Georgia, "Times New Roman", serif; color: #1a1a2e; background: #f3efe6; }
        * { letter-spacing: 0.03em; }
        header { background: #3b1f5e; color: #fff; padding: 1.5rem 2rem; }
        .site { font-size: 2.4rem; font-weight: 700; margin: 0; }
        main { max-width: 90rem; margin: 0 auto; padding: 2rem; }
        h1 { font-size: 3.2rem; line-height: 1.2; color: #3b1f5e; }
        h2 { font-family: "Comic Sans MS", "Comic Neue", cursive; color: #6a1b9a; }
        p { text-align: justify; }
        label { text-transform: uppercase; color: #8b0000; font-size: 3rem; }
        input, button { border: 4px dashed #c2185b; background: #fce4ec; }
        fieldset { border: 6px double #c2185b; }
        pre { background: #1a1a2e; color: #f3efe6; padding: 1rem; overflow-x: auto; font-size: 1.4rem; }
        [data-survey] { display: block; border-top: 8px solid #3b1f5e; margin: 2rem 0; background: #fff; }
        footer { padding: 2rem; font-size: 1.4rem; }
        """;

    public static string StyleHash { get; } = FormAssets.StyleHash(Css);

    /// <summary>
    /// The embed snippet for a survey on a backend (its <c>/api/</c> address), optionally in a language: the script
    /// frames the form and sizes it; with JavaScript off, the <c>noscript</c> frame shows the same page at a fixed
    /// height. docs/form.md explains it.
    /// </summary>
    public static string Snippet(string api, string surveyId, string? lang = null) => $"""
        <div data-survey="{surveyId}"{(lang is null ? "" : $" data-lang=\"{lang}\"")}>
          <noscript><iframe src="{api}surveys/{surveyId}/form{(lang is null ? "" : "?lang=" + lang)}" title="{UiText.For(lang ?? UiText.English)["embed.frameTitle"]}" width="100%" height="{NoScriptHeight}" frameborder="0"></iframe></noscript>
        </div>
        <script src="{api}embed.js" async></script>
        """;

    /// <summary>The noscript frame's height (px): about a screen, so that its inner scroll is all in view at once.</summary>
    public const int NoScriptHeight = 900;

    public static string Render() => $"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <link rel="icon" href="data:,">
        <title>Have your say: social media in local government (demo host page)</title>
        <style>{Css}</style>
        </head>
        <body>
        <header>
        <p class="site">Comms Community Hub</p>
        </header>
        <main>
        <h1>Social media in local government: have your say</h1>
        <p>This page stands in for the community site. Its serif type, purple headings, uppercase red labels and
        dashed inputs are its own: they never reach the survey below, which lives in a frame of the survey's own page.
        Nothing on this page, not its scripts nor a browser extension, can read what is typed into the survey. The page
        sends a strict Content-Security-Policy (no inline script, styles by hash only, no fetches) and the survey still works.</p>
        <h2>Embed it on your site</h2>
        <pre><code>{WebUtility.HtmlEncode(Snippet("https://BACKEND/api/", SurveyId, "en"))}</code></pre>
        {Snippet("", SurveyId, "en")}
        </main>
        <footer>Demo host page served by the survey backend. It holds no data and sets no cookies.</footer>
        </body>
        </html>
        """;
}
