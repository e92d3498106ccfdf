using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SurveyBackend.Languages;

namespace SurveyBackend.Form;

/// <summary>
/// form.css and embed.js, embedded in the assembly (no files to deploy beside the app). The stylesheet is
/// baked into the script at start so that embedding takes one request, and the inline styles of the pages
/// are allowed by their hash, so no page needs <c>'unsafe-inline'</c>.
/// </summary>
public static class FormAssets
{
    // Only the words the script shows: the rest (read faults, the no-JS pages) are the server's, and embed.js has a size budget.
    private static readonly string[] ScriptKeys =
    [
        "form.", "language.", "page.notFound", "page.closed", "page.loadFailed",
        "error.required", "error.tooMany", "error.exclusive", "error.otherTooLong", "error.otherNotChosen", "error.emailInvalid", "error.emailTooLong",
    ];

    // Welsh letters as themselves (ŵ, ’), not \u escapes; characters that matter to HTML are still escaped.
    private static readonly JsonSerializerOptions Letters = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };

    public static string Css { get; } = Read("form.css") + Read("compare.css");

    /// <summary>
    /// The script as served: the stylesheet inlined as a JS string literal, and compare.js (the thank-you's "How you
    /// compare") inside it, and the words of every language from <see cref="UiText"/>'s resources, so the pages with
    /// and without JavaScript read the same.
    /// </summary>
    public static string EmbedJs { get; } = Read("embed.js")
        .Replace("'__FORM_CSS__'", JsonSerializer.Serialize(Css), StringComparison.Ordinal)
        .Replace("'__UI_TEXT__'", JsonSerializer.Serialize(ScriptText(), Letters), StringComparison.Ordinal)
        .Replace("/*__COMPARE_JS__*/", Read("compare.js"), StringComparison.Ordinal);

    /// <summary>
    /// The form's words in every language, from the same resources as the server's pages (<see cref="UiText"/>):
    /// language → key → text, with compare.js's words under <c>compare</c>.
    /// </summary>
    private static Dictionary<string, Dictionary<string, object>> ScriptText() =>
        UiText.Supported.ToDictionary(l => l, l =>
        {
            var text = UiText.For(l);
            var words = text.All.Where(p => ScriptKeys.Any(k => p.Key.StartsWith(k, StringComparison.Ordinal)))
                .ToDictionary(p => p.Key, p => (object)p.Value, StringComparer.Ordinal);
            words["compare"] = CompareText.ForScript(text);
            return words;
        }, StringComparer.Ordinal);

    public static string EmbedJsETag { get; } = "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(EmbedJs)).AsSpan(0, 12)) + "\"";

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
