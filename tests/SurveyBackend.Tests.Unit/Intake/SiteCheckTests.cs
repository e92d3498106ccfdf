using SurveyBackend.Intake;

namespace SurveyBackend.Tests.Unit.Intake;

/// <summary>
/// What a browser says about where a post came from, as the two intake routes read it. The backend is at
/// backend.example.org:7071; https://www.anyshire.gov.uk is an allowed origin (it may post JSON, never the form).
/// </summary>
public sealed class SiteCheckTests
{
    private const string Backend = "backend.example.org";
    private static readonly SiteCheck Check = new(["https://www.anyshire.gov.uk/"], ["survey.example.org"]);

    public static TheoryData<IntakeRoute, string?, string?, bool> Cases => new()
    {
        // The browser's own verdict decides whenever it gives one.
        { IntakeRoute.Form, "same-origin", "null", false },         // the form page sends no referrer, so its posts say Origin: null
        { IntakeRoute.Json, "same-origin", "https://backend.example.org:7071", false },
        { IntakeRoute.Form, "same-site", "https://www.example.org", false }, // another origin of the same site
        { IntakeRoute.Form, "none", null, false },
        { IntakeRoute.Form, "cross-site", "https://evil.example", true },
        { IntakeRoute.Json, "cross-site", "https://evil.example", true },
        { IntakeRoute.Form, "cross-site", "null", true },           // a sandboxed frame on a hostile page
        { IntakeRoute.Form, "CROSS-SITE", null, true },
        { IntakeRoute.Form, "something-new", null, true },
        // An allowed origin may post JSON from its own (other) site, and only JSON: the form is posted from the backend's page.
        { IntakeRoute.Json, "cross-site", "https://www.anyshire.gov.uk", false },
        { IntakeRoute.Form, "cross-site", "https://www.anyshire.gov.uk", true },
        { IntakeRoute.Json, "cross-site", "http://www.anyshire.gov.uk", true }, // another scheme is another origin
        // No Sec-Fetch-Site: a script (no Origin either), or an older browser, judged by Origin's host.
        { IntakeRoute.Json, null, null, false },
        { IntakeRoute.Form, null, null, false },
        { IntakeRoute.Form, null, "http://backend.example.org:8080", false }, // ports do not make another site
        { IntakeRoute.Form, null, "https://survey.example.org", false },     // the public address (Report:PublicBaseUrl)
        { IntakeRoute.Form, null, "https://evil.example", true },
        { IntakeRoute.Form, null, "https://www.example.org", true },         // same site, perhaps, but nothing vouches for it
        { IntakeRoute.Form, null, "null", true },
        { IntakeRoute.Form, null, "not a url", true },
        { IntakeRoute.Json, null, "https://www.anyshire.gov.uk", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsCrossSite_ByWhatTheBrowserSays(IntakeRoute route, string? secFetchSite, string? origin, bool crossSite) =>
        Assert.Equal(crossSite, Check.IsCrossSite(route, secFetchSite, origin, Backend));
}
