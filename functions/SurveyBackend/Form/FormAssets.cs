using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SurveyBackend.Languages;

namespace SurveyBackend.Form;

/// <summary>
/// The form's assets, embedded in the assembly (no files to deploy beside the app): the page's stylesheet (inlined in
/// the <c>/form</c> page and allowed by its hash, so no page needs <c>'unsafe-inline'</c>), the page's script
/// (<c>form.js</c>, with compare.js, journey.js, journey-screen.js and the words baked in) and the host page's loader (<c>embed.js</c>).
/// </summary>
public static class FormAssets
{
    // Only the words the script shows: the rest (read faults, the no-JS pages) are the server's.
    private static readonly string[] ScriptKeys =
    [
        "form.", "page.notFound", "page.closed",
        "error.required", "error.tooMany", "error.exclusive", "error.otherTooLong", "error.otherNotChosen", "error.emailInvalid", "error.emailTooLong", "error.emailCharacters",
    ];

    // Welsh letters as themselves (ŵ, ’), not \u escapes; characters that matter to HTML are still escaped.
    private static readonly JsonSerializerOptions Letters = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };

    public static string Css { get; } = Read("form.css") + Read("compare.css") + Read("journey.css");

    /// <summary>
    /// The form page's script as served: compare.js (the thank-you's "How you compare") inside it, and the words of every
    /// language from <see cref="UiText"/>'s resources, so the pages with and without JavaScript read the same.
    /// </summary>
    public static ScriptAsset FormJs { get; } = new(Read("form.js")
        .Replace("'__UI_TEXT__'", JsonSerializer.Serialize(ScriptText(), Letters), StringComparison.Ordinal)
        .Replace("/*__COMPARE_JS__*/", Read("compare.js"), StringComparison.Ordinal)
        .Replace("/*__JOURNEY_SCREEN_JS__*/", Read("journey-screen.js"), StringComparison.Ordinal)
        .Replace("/*__JOURNEY_JS__*/", JourneyJs, StringComparison.Ordinal));

    /// <summary>The journey's scoring in the browser (Journey/JourneyScore.cs's rule), as form.js carries it.</summary>
    public static string JourneyJs => Read("journey.js");

    /// <summary>The proof of work's Web Worker, which form.js starts while the person answers.</summary>
    public static ScriptAsset ProofWorkerJs { get; } = new(Read("proof-worker.js"));

    /// <summary>What a host page loads: the loader that frames the form page, with the frame's accessible name in every language.</summary>
    public static ScriptAsset EmbedJs { get; } = new(Read("embed.js")
        .Replace("'__FRAME_TITLES__'", JsonSerializer.Serialize(UiText.Supported.ToDictionary(l => l, l => UiText.For(l)["embed.frameTitle"]), Letters), StringComparison.Ordinal));

    /// <summary>
    /// The form's words in every language, from the same resources as the server's pages (<see cref="UiText"/>):
    /// language → key → text, with compare.js's words under <c>compare</c> and journey-screen.js's under <c>journey</c>.
    /// </summary>
    private static Dictionary<string, Dictionary<string, object>> ScriptText() =>
        UiText.Supported.ToDictionary(l => l, l =>
        {
            var text = UiText.For(l);
            var words = text.All.Where(p => ScriptKeys.Any(k => p.Key.StartsWith(k, StringComparison.Ordinal)))
                .ToDictionary(p => p.Key, p => (object)p.Value, StringComparer.Ordinal);
            words["compare"] = HowYouCompareText.ForScript(text);
            words["journey"] = JourneyScreenText.ForScript(text);
            return words;
        }, StringComparer.Ordinal);

    /// <summary>A CSP source for an inline &lt;style&gt; with exactly this content.</summary>
    public static string StyleHash(string css) => "'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(css))) + "'";

    private static string Read(string name)
    {
        var assembly = typeof(FormAssets).Assembly;
        using var stream = assembly.GetManifestResourceStream("SurveyBackend.Form.Assets." + name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}

/// <summary>A script as served, with the ETag of its content.</summary>
public sealed record ScriptAsset(string Content)
{
    public string ETag { get; } = "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Content)).AsSpan(0, 12)) + "\"";
}
