namespace SurveyBackend.Intake;

/// <summary>Which intake route a post came to: it decides the body's media type and whether allowed origins count.</summary>
public enum IntakeRoute
{
    /// <summary><c>POST …/responses</c>: JSON, from the form's script or an integrator's own page (an allowed origin).</summary>
    Json,
    /// <summary><c>POST …/form</c>: the no-JavaScript form, which only the backend's own page posts.</summary>
    Form,
}

/// <summary>
/// Refuses a post a browser says came from another site (<c>Sec-Fetch-Site</c>, else <c>Origin</c>), so no page elsewhere
/// can make its visitors' browsers post answers or enrol addresses. Scripts send neither: the form token and the proof of
/// work stop them (docs/intake.md).
/// </summary>
public sealed class SiteCheck(IEnumerable<string> allowedOrigins, IEnumerable<string> ownHosts)
{
    private readonly HashSet<string> _allowedOrigins = new(allowedOrigins.Select(Normalise), StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _ownHosts = new(ownHosts, StringComparer.OrdinalIgnoreCase);

    /// <param name="secFetchSite">The <c>Sec-Fetch-Site</c> header: <c>same-origin</c>, <c>same-site</c>, <c>none</c> or <c>cross-site</c>.</param>
    /// <param name="origin">The <c>Origin</c> header; <c>null</c> (the word) for an opaque origin or a page with <c>no-referrer</c>.</param>
    /// <param name="requestHost">The host this request was sent to (the backend's own, as the browser addressed it).</param>
    public bool IsCrossSite(IntakeRoute route, string? secFetchSite, string? origin, string? requestHost)
    {
        // An integrator's own page posting JSON directly: CORS already lets it read the answer.
        if (route == IntakeRoute.Json && origin is { Length: > 0 } && _allowedOrigins.Contains(Normalise(origin))) return false;

        if (secFetchSite is { Length: > 0 })
        {
            // The browser's own verdict, public suffixes included. The backend's pages send no referrer, so their
            // posts carry "Origin: null" and only this header can vouch for them.
            return !(secFetchSite.Equals("same-origin", StringComparison.OrdinalIgnoreCase)
                || secFetchSite.Equals("same-site", StringComparison.OrdinalIgnoreCase)
                || secFetchSite.Equals("none", StringComparison.OrdinalIgnoreCase));
        }

        // No Sec-Fetch-Site: a script (no Origin either) or an older browser. Without the public suffix list a host other
        // than the backend's own cannot be told apart from another site, so it counts as one: only the backend's page
        // posts the form, and an integrator's page is an allowed origin.
        if (origin is not { Length: > 0 }) return false;
        if (origin == "null" || !Uri.TryCreate(origin, UriKind.Absolute, out var uri)) return true;
        return !(string.Equals(uri.Host, requestHost, StringComparison.OrdinalIgnoreCase) || _ownHosts.Contains(uri.Host));
    }

    private static string Normalise(string origin) => origin.Trim().TrimEnd('/');
}
