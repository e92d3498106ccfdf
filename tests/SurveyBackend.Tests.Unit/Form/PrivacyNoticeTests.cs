using System.Text.RegularExpressions;
using SurveyBackend.Form;
using SurveyBackend.Languages;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Unit.Form;

/// <summary>The privacy notice (issue #26 §1): a short one under the email field, the full one in a details element below it.</summary>
public class PrivacyNoticeTests
{
    private const string Retention = "It is deleted 30 days after the survey’s final report has been emailed.";

    private static SurveyDefinition Survey(SurveyPrivacy? privacy) => new()
    {
        Id = "pulse-2026",
        Title = "Pulse",
        Status = SurveyStatus.Open,
        Privacy = privacy,
        Questions =
        [
            new Question
            {
                Id = "kind", Text = "Kind?", Type = QuestionType.Single,
                Options = [new QuestionOption { Id = "a", Text = "A" }, new QuestionOption { Id = "b", Text = "B" }],
            },
        ],
    };

    private static string Render(SurveyPrivacy? privacy, string language = UiText.English, string? retention = Retention) =>
        FormRenderer.Form(Survey(privacy), new FormValues { SubmissionId = "0b9f1c2e-5d7a-4f8e-9a61-3c2b7e4d9f10" }, null, "form", UiText.For(language), retention);

    private static string Between(string html, string start, string end)
    {
        var from = html.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"'{start}' is not in the page");
        var to = html.IndexOf(end, from, StringComparison.Ordinal);
        Assert.True(to > from, $"'{end}' does not follow '{start}'");
        return html[from..(to + end.Length)];
    }

    [Fact]
    public void Form_ShowsTheShortNoticeUnderTheEmailField_TheFullOneInDetailsBelow_BeforeTheConsentBox()
    {
        var html = Render(new SurveyPrivacy("Example Research Ltd", "mailto:privacy@example.org"));

        var email = html.IndexOf("id=\"sv-email\"", StringComparison.Ordinal);
        var shortNotice = html.IndexOf("id=\"sv-privacy-short\"", StringComparison.Ordinal);
        var details = html.IndexOf("<details class=\"sv-privacy\">", StringComparison.Ordinal);
        var consent = html.IndexOf("id=\"sv-consent\"", StringComparison.Ordinal);
        Assert.True(email > 0 && email < shortNotice && shortNotice < details && details < consent, $"email {email}, short {shortNotice}, details {details}, consent {consent}");
        // The field is described by the short notice, so a screen reader hears it on the field.
        Assert.Matches("id=\"sv-email\"[^>]*aria-describedby=\"sv-privacy-short\"", html);

        var brief = Between(html, "<p class=\"sv-hint sv-privacy-short\"", "</p>");
        Assert.Contains("Your address is held by Example Research Ltd, with your consent, and you can withdraw that consent at any time.", brief);
        Assert.Contains("Contact: <a class=\"sv-link\" href=\"mailto:privacy@example.org\">privacy@example.org</a>.", brief);
    }

    [Fact]
    public void FullNotice_SaysWhatArticle13Asks_InItsOwnWords_WithTheRetentionGiven()
    {
        var html = Render(new SurveyPrivacy("Example Research Ltd", "mailto:privacy@example.org"));
        var full = Between(html, "<details class=\"sv-privacy\">", "</details>");
        var text = Regex.Replace(System.Net.WebUtility.HtmlDecode(Regex.Replace(full, "<[^>]*>", "")), @"\s+", " ");

        Assert.Contains("<summary class=\"sv-privacy-summary\">Privacy notice: how your email address is used</summary>", full);
        Assert.Contains("The data controller for your address is Example Research Ltd. Contact: privacy@example.org.", text);
        Assert.Contains("Only to email you this survey’s published report.", text);
        Assert.Contains("Your consent (UK GDPR Article 6(1)(a))", text);
        Assert.Contains("How long it is kept. " + Retention, text);
        Assert.Contains("You can withdraw your consent at any time", text);
        Assert.Contains("(access)", text);
        Assert.Contains("(erasure)", text);
        Assert.Contains("complain to the Information Commissioner’s Office (ICO)", text);
        // The ICO's page opens in a new tab, and says so: in the embed's frame a link followed in place would replace the form.
        Assert.Contains("<a class=\"sv-link\" href=\"https://ico.org.uk/make-a-complaint/\" target=\"_blank\" rel=\"noopener noreferrer\">ico.org.uk/make-a-complaint <span class=\"sv-new-tab\">(opens in a new tab)</span></a>", full);
    }

    [Fact]
    public void AnHttpsContact_OpensInANewTab()
    {
        var html = Render(new SurveyPrivacy("Example Research Ltd", "https://example.org/privacy?survey=pulse&lang=en"));
        Assert.Contains("Contact: <a class=\"sv-link\" href=\"https://example.org/privacy?survey=pulse&amp;lang=en\" target=\"_blank\" rel=\"noopener noreferrer\">https://example.org/privacy?survey=pulse&amp;lang=en <span class=\"sv-new-tab\">(opens in a new tab)</span></a>.", html);
        Assert.DoesNotContain("href=\"mailto:", html);
    }

    [Fact]
    public void TheControllerAndContact_AreEncoded()
    {
        var html = Render(new SurveyPrivacy("<script>alert(1)</script> & Co", "https://example.org/\"><img src=x>"));
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<img", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co", html);
    }

    [Fact]
    public void InWelsh_TheNoticeIsWelsh_AndTheControllerAsGiven()
    {
        var html = System.Net.WebUtility.HtmlDecode(Render(new SurveyPrivacy("Example Research Ltd", "mailto:privacy@example.org"), UiText.Welsh));
        Assert.Contains("Caiff eich cyfeiriad ei gadw gan Example Research Ltd, gyda’ch caniatâd", html);
        Assert.Contains("<summary class=\"sv-privacy-summary\">Hysbysiad preifatrwydd: sut y defnyddir eich cyfeiriad e-bost</summary>", html);
        Assert.Contains("Swyddfa’r Comisiynydd Gwybodaeth (ICO)", html);
        Assert.Contains("(yn agor mewn tab newydd)", html);
        Assert.DoesNotContain("Privacy notice", html);
    }

    [Fact]
    public void ADefinitionStoredBeforePrivacyExisted_StillShowsTheNotice_WithoutAContact()
    {
        var html = Render(privacy: null);
        Assert.Contains("Your address is held by the organisation that runs this survey, with your consent", html);
        Assert.Contains("<details class=\"sv-privacy\">", html);
        Assert.DoesNotContain("Contact:", html);
    }
}
