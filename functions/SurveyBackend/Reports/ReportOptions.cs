namespace SurveyBackend.Reports;

public sealed class ReportOptions
{
    public const string SectionName = "Report";

    /// <summary>Where the public reaches this app (no <c>/api</c>): report and unsubscribe links are built on it.</summary>
    public string PublicBaseUrl { get; set; } = "";

    internal bool IsValid() =>
        Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    /// <summary>An absolute link to <paramref name="path"/> (which starts after <c>/api/</c>).</summary>
    public string Link(string path) => PublicBaseUrl.TrimEnd('/') + "/api/" + path;
}
