using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SurveyBackend.Form;

/// <summary>
/// form.css and embed.js, embedded in the assembly (no files to deploy beside the app). The stylesheet is
/// baked into the script at start so that embedding takes one request, and the inline styles of the pages
/// are allowed by their hash, so no page needs <c>'unsafe-inline'</c>.
/// </summary>
public static class FormAssets
{
    public static string Css { get; } = Read("form.css") + Read("compare.css");

    /// <summary>
    /// The script as served: the stylesheet inlined as a JS string literal, and compare.js (the thank-you's "How you
    /// compare") inside it with the words of <see cref="CompareText"/>, so both thank-you screens read the same.
    /// </summary>
    public static string EmbedJs { get; } = Read("embed.js")
        .Replace("'__FORM_CSS__'", JsonSerializer.Serialize(Css), StringComparison.Ordinal)
        .Replace("/*__COMPARE_JS__*/", Read("compare.js").Replace("'__COMPARE_TEXT__'", JsonSerializer.Serialize(CompareText.All), StringComparison.Ordinal), StringComparison.Ordinal);

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
