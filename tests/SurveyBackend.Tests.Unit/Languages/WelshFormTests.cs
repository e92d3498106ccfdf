using SurveyBackend.Form;
using SurveyBackend.Intake;
using SurveyBackend.Languages;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Unit.Languages;

public class WelshFormTests
{
    private static readonly UiText Welsh = UiText.For(UiText.Welsh);

    [Fact]
    public void WelshForm_WithErrors_ShowsNoEnglishUiString_AndTheSurveyInWelsh()
    {
        var survey = WelshPages.Sample();
        var values = new FormValues { SubmissionId = "0b9f1c2e-5d7a-4f8e-9a61-3c2b7e4d9f10", Email = "x" };
        var outcome = SubmissionRules.Validate(survey, new SubmissionRequest
        {
            SubmissionId = values.SubmissionId, Language = UiText.Welsh,
            Other = new Dictionary<string, string> { ["channels"] = "Mastodon" },
            Respondent = new RespondentInput("x", null, null, true, true),
        });
        var html = FormRenderer.Form(survey, values, outcome.Errors.ToDictionary(), "form", Welsh);

        Assert.Empty(WelshPages.EnglishOn(html));
        Assert.Contains(survey.In("cy").Questions[0].Text, System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Contains("Mae problem wedi codi", html, StringComparison.Ordinal);
        Assert.Contains("name=\"lang\" value=\"cy\"", html, StringComparison.Ordinal);
        // The switch back to English, labelled in English and marked so.
        Assert.Contains("name=\"switchLang\" value=\"en\" lang=\"en\" formnovalidate>English</button>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void FormBackFromTheLanguageSwitch_FocusesTheSwitch_AndOnlyThen()
    {
        var survey = WelshPages.Sample();
        var values = new FormValues { SubmissionId = "0b9f1c2e-5d7a-4f8e-9a61-3c2b7e4d9f10" };

        var switched = FormRenderer.Form(survey, values with { LanguageSwitched = true }, null, "form", Welsh);
        var fresh = FormRenderer.Form(survey, values, null, "form", Welsh);

        // Where the respondent left it (form.js focuses it where a cross-origin frame ignores autofocus).
        Assert.Contains("value=\"en\" lang=\"en\" formnovalidate autofocus>English</button>", switched, StringComparison.Ordinal);
        Assert.DoesNotContain("autofocus", fresh, StringComparison.Ordinal);
    }

    [Fact]
    public void TheEnglishCheck_CatchesAnEnglishString_OnAWelshPage()
    {
        var survey = WelshPages.Sample();
        var html = FormRenderer.Form(survey, FormValues.New(), null, "form", UiText.For(UiText.English));
        Assert.Contains(WelshPages.EnglishOn(html), e => e.StartsWith("'Send my answers'", StringComparison.Ordinal));
    }

    [Fact]
    public void WelshThankYouAndComparison_ShowNoEnglishUiString()
    {
        var html = FormRenderer.ThankYou("0b9f1c2e-5d7a-4f8e-9a61-3c2b7e4d9f10", Welsh)
            + ThankYouRenderer.Render(null, 2, failed: false, Welsh) + ThankYouRenderer.Render(null, 2, failed: true, Welsh);
        Assert.Empty(WelshPages.EnglishOn(html));
        Assert.Contains("Sut rydych chi’n cymharu", System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }

    [Fact]
    public void ValidationMessages_AreInTheRequestsLanguage_AtTheSamePaths()
    {
        var survey = WelshPages.Sample();
        SubmissionRequest Request(string language) => new()
        {
            SubmissionId = "0b9f1c2e-5d7a-4f8e-9a61-3c2b7e4d9f10", Language = language,
            Answers = new Dictionary<string, AnswerInput> { ["channels"] = AnswerInput.Many(["facebook", "atlantis"]) },
            Respondent = new RespondentInput("not-an-address", null, null, true, true),
        };
        var english = SubmissionRules.Validate(survey, Request("en")).Errors.ToDictionary();
        var welsh = SubmissionRules.Validate(survey, Request("cy")).Errors.ToDictionary();

        Assert.Equal(english.Keys.Order(StringComparer.Ordinal), welsh.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("This question needs an answer.", english["answers.organisationType"].Single());
        Assert.Equal("Mae angen ateb y cwestiwn hwn.", welsh["answers.organisationType"].Single());
        Assert.Equal("Nid oes opsiwn ‘atlantis’ yn y cwestiwn hwn.", welsh["answers.channels[1]"].Single());
        foreach (var (path, messages) in welsh) Assert.DoesNotContain(messages, m => english[path].Contains(m));
    }

    [Fact]
    public void JsonBody_LangField_ChoosesTheLanguageOfItsReadErrors()
    {
        var parsed = SubmissionJson.Parse("""{ "lang": "cy", "submissionId": 5, "answers": {} }"""u8.ToArray(), "en");
        Assert.Equal("cy", parsed.Value!.Language);
        Assert.Equal(["Rhaid i’r submissionId fod yn llinyn UUID."], parsed.Value.ReadErrors.ToDictionary()["submissionId"]);

        var unknown = SubmissionJson.Parse("""{ "lang": "fr", "answers": {} }"""u8.ToArray(), "cy");
        Assert.Equal("cy", unknown.Value!.Language);
        Assert.Contains("lang", unknown.Value.ReadErrors.ToDictionary().Keys);
    }

    [Fact]
    public void NoJsForm_LangField_IsTheSubmissionsLanguage_OnlyWhenTheSurveyOffersIt()
    {
        var survey = WelshPages.Sample();
        var fields = new Dictionary<string, Microsoft.Extensions.Primitives.StringValues> { ["lang"] = "cy" };
        Assert.Equal("cy", FormFields.Read(survey, fields).Submission.Language);
        var englishOnly = survey with { Languages = ["en"] };
        Assert.Equal("en", FormFields.Read(englishOnly, fields).Submission.Language);
    }
}
