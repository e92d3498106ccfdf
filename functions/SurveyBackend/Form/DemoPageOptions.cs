namespace SurveyBackend.Form;

/// <summary>
/// The <c>DemoPage</c> settings. The demo host page (<c>/api/demo</c>) is anonymous and stands in for the community
/// site, so it is for local use: off unless turned on (scripts/start.sh and the tests that drive it do).
/// </summary>
public sealed class DemoPageOptions
{
    public const string SectionName = "DemoPage";

    /// <summary>Serve <c>/api/demo</c>; when off it answers 404 like any unknown address.</summary>
    public bool Enabled { get; set; }
}
