namespace SurveyBackend.Form;

/// <summary>The <c>Survey</c> settings: which sites may embed or frame the form.</summary>
public sealed class SurveyOptions
{
    public const string SectionName = "Survey";

    /// <summary>
    /// Comma-separated origins (<c>https://community.example.org</c>) that may frame the form page and call the
    /// public API from the browser. Empty means the form page may only be framed by the backend's own pages.
    /// </summary>
    public string AllowedOrigins { get; set; } = "";

    public IReadOnlyList<string> Origins =>
        AllowedOrigins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Each origin must be a bare scheme://host[:port], so it can go into a CSP source list unescaped.</summary>
    public bool HasValidOrigins() =>
        Origins.All(o => Uri.TryCreate(o, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && uri.GetLeftPart(UriPartial.Authority).Equals(o.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
}
