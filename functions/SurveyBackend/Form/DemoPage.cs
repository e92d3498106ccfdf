namespace SurveyBackend.Form;

/// <summary>
/// A stand-in for the community site, so a newcomer sees the embedded survey working at once
/// (<c>/api/demo</c>; <c>/api/demo?as=iframe</c> for the iframe version). Its styles are deliberately unlike
/// the form's and include rules a CMS might have (uppercase labels, dashed inputs, a 10px root font size),
/// to show that they cannot reach into the form. It is static: no data of any kind passes through it.
/// </summary>
public static class DemoPage
{
    public const string SurveyId = "social-media-in-local-government";

    private const string Css = """
        html { font-size: 10px; }
        body { margin: 0; font: 1.8rem/1.6 Georgia, "Times New Roman", serif; color: #1a1a2e; background: #f3efe6; }
        * { letter-spacing: 0.03em; }
        header { background: #3b1f5e; color: #fff; padding: 1.5rem 2rem; }
        header a { color: #fff; }
        .site { font-size: 2.4rem; font-weight: 700; margin: 0; }
        main { max-width: 90rem; margin: 0 auto; padding: 2rem; }
        h1 { font-size: 3.2rem; line-height: 1.2; color: #3b1f5e; }
        h2 { font-family: "Comic Sans MS", "Comic Neue", cursive; color: #6a1b9a; }
        p { text-align: justify; }
        label { text-transform: uppercase; color: #8b0000; font-size: 3rem; }
        input, button { border: 4px dashed #c2185b; background: #fce4ec; }
        fieldset { border: 6px double #c2185b; }
        pre { background: #1a1a2e; color: #f3efe6; padding: 1rem; overflow-x: auto; font-size: 1.4rem; }
        [data-survey], .frame { display: block; border-top: 8px solid #3b1f5e; margin: 2rem 0; background: #fff; }
        .frame { width: 100%; height: 320rem; border-left: 0; border-right: 0; border-bottom: 0; }
        footer { padding: 2rem; font-size: 1.4rem; }
        """;

    public static string StyleHash { get; } = FormAssets.StyleHash(Css);

    public static string Render(bool asIframe)
    {
        var embed = asIframe
            ? $"<iframe class=\"frame\" src=\"surveys/{SurveyId}/form\" title=\"The survey: social media in local government\"></iframe>"
            : $"<div data-survey=\"{SurveyId}\"></div>\n<script src=\"embed.js\" async></script>";
        var snippet = asIframe
            ? $"&lt;iframe src=\"https://BACKEND/api/surveys/{SurveyId}/form\" title=\"The survey\"&gt;&lt;/iframe&gt;"
            : $"&lt;script src=\"https://BACKEND/api/embed.js\" async&gt;&lt;/script&gt;\n&lt;div data-survey=\"{SurveyId}\"&gt;&lt;/div&gt;";
        return $"""
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
            <nav aria-label="Demo versions"><a href="demo">Script embed</a> · <a href="demo?as=iframe">iframe embed</a></nav>
            </header>
            <main>
            <h1>Social media in local government: have your say</h1>
            <p>This page stands in for the community site. Its serif type, purple headings, uppercase red labels and
            dashed inputs are its own: they never reach the survey below, which {(asIframe ? "lives in an iframe" : "renders inside a shadow root")}.
            The page sends a strict Content-Security-Policy (no inline script, styles by hash only) and the survey still works.</p>
            <h2>Embed it on your site</h2>
            <pre><code>{snippet}</code></pre>
            {embed}
            </main>
            <footer>Demo host page served by the survey backend. It holds no data and sets no cookies.</footer>
            </body>
            </html>
            """;
    }
}
