using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using SurveyBackend.Form;
using SurveyBackend.Surveys;
using Xunit.Abstractions;

namespace SurveyBackend.Tests.Unit.Form;

public class FormRendererTests(ITestOutputHelper output)
{
    private static SurveyDefinition Survey(string title = "Pulse") => new()
    {
        Id = "pulse-2026",
        Title = title,
        Description = "About <you> & \"yours\"",
        Status = SurveyStatus.Open,
        Questions =
        [
            new Question
            {
                Id = "kind", Text = "Kind?", Type = QuestionType.Single, Required = true,
                Options = [new QuestionOption { Id = "a", Text = "A" }, new QuestionOption { Id = "b", Text = "B" }],
            },
            new Question
            {
                Id = "tools", Text = "Tools?", Type = QuestionType.Multiple, MaxSelections = 2, AllowOther = true,
                Options = [new QuestionOption { Id = "x", Text = "X" }, new QuestionOption { Id = "none", Text = "None", Exclusive = true }],
            },
        ],
    };

    private static string Render(SurveyDefinition? survey = null, FormValues? values = null, IDictionary<string, string[]>? errors = null) =>
        FormRenderer.Form(survey ?? Survey(), values ?? new FormValues { SubmissionId = "0b9f1c2e-5d7a-4f8e-9a61-3c2b7e4d9f10" }, errors, "form");

    [Fact]
    public void Form_EncodesEveryTextFromTheDefinitionAndTheRespondent()
    {
        var html = Render(Survey("<script>alert(1)</script>"), new FormValues
        {
            SubmissionId = "\"><script>",
            Email = "\"><img src=x onerror=alert(1)>",
            Other = new Dictionary<string, string> { ["tools"] = "</textarea><script>" },
        }, new Dictionary<string, string[]> { ["respondent.email"] = ["<b>bad</b>"] });

        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("<b>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("About &lt;you&gt; &amp; &quot;yours&quot;", html);
    }

    [Fact]
    public void Form_HasAFieldsetAndLegendPerQuestion_AndALabelForEveryControl()
    {
        var html = Render();

        Assert.Equal(3, Regex.Count(html, "<fieldset")); // two questions and the report request
        Assert.Equal(3, Regex.Count(html, "<legend"));
        Assert.Contains("1. Kind? <span class=\"sv-required\">(required)</span></legend>", html);
        Assert.DoesNotContain("2. Tools? <span", html);
        var ids = Regex.Matches(html, "<input[^>]*type=\"(?:radio|checkbox|text|email)\"[^>]*id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["sv-q-kind-a", "sv-q-kind-b", "sv-q-tools-x", "sv-q-tools-none", "sv-q-tools-other", "sv-other-tools", "sv-email", "sv-consent", "sv-website"], ids);
        var labelled = Regex.Matches(html, "<label[^>]*for=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.All(ids, id => Assert.Contains(id, labelled));
        Assert.Contains("data-exclusive=\"true\"", html);
        Assert.Contains("Choose up to 2.", html);
        Assert.Contains("name=\"submissionId\" value=\"0b9f1c2e-5d7a-4f8e-9a61-3c2b7e4d9f10\"", html);
    }

    [Fact]
    public void Form_TheHoneypotIsHiddenFromPeopleAndAssistiveTechnology()
    {
        var html = Render();
        Assert.Matches("<div class=\"sv-hp\" aria-hidden=\"true\">.*<input[^>]*name=\"website\"[^>]*tabindex=\"-1\"", html);
    }

    [Fact]
    public void Form_WithErrors_TiesEachToItsField_AndListsThemInFormOrderInAFocusableSummary()
    {
        var html = Render(errors: new Dictionary<string, string[]>
        {
            ["respondent.email"] = ["This is not an email address."],
            ["other.tools"] = ["Too long."],
            ["answers.kind"] = ["This question needs an answer."],
            ["submissionId"] = ["The submissionId must be a UUID."],
        });

        Assert.Contains("<div class=\"sv-summary\" tabindex=\"-1\" role=\"alert\" autofocus", html);
        var items = Regex.Matches(html, "<li>(.*?)</li>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(
        [
            "The submissionId must be a UUID.",
            "<a href=\"#sv-q-kind-a\">This question needs an answer.</a>",
            "<a href=\"#sv-other-tools\">Too long.</a>",
            "<a href=\"#sv-email\">This is not an email address.</a>",
        ], items);
        Assert.Contains("aria-describedby=\"sv-hint-q-kind sv-err-q-kind\"", html);
        Assert.Contains("<p class=\"sv-error\" id=\"sv-err-q-kind\">", html);
        Assert.Matches("id=\"sv-other-tools\"[^>]*aria-invalid=\"true\" aria-describedby=\"sv-err-other-tools\"", html);
        Assert.Matches("id=\"sv-email\"[^>]*aria-describedby=\"sv-privacy-short sv-err-email\" aria-invalid=\"true\"", html);
    }

    [Fact]
    public void Form_ReRendered_KeepsWhatTheRespondentGave()
    {
        var html = Render(values: new FormValues
        {
            SubmissionId = "0b9f1c2e-5d7a-4f8e-9a61-3c2b7e4d9f10",
            Answers = new Dictionary<string, IReadOnlyList<string>> { ["kind"] = ["b"], ["tools"] = ["x", "other"] },
            Other = new Dictionary<string, string> { ["tools"] = "Slack" },
            Email = "jo@example.org",
            WantsReport = true,
        });

        Assert.Matches("id=\"sv-q-kind-b\"[^>]*checked", html);
        Assert.DoesNotMatch("id=\"sv-q-kind-a\"[^>]*checked", html);
        Assert.Matches("id=\"sv-q-tools-other\"[^>]*checked", html);
        Assert.Contains("value=\"Slack\"", html);
        Assert.Contains("value=\"jo@example.org\"", html);
        Assert.Matches("id=\"sv-consent\"[^>]*checked", html);
    }

    [Theory]
    [InlineData("answers.kind", "sv-err-q-kind", "sv-q-kind-a")]
    [InlineData("answers.tools[1]", "sv-err-q-tools", "sv-q-tools-x")]
    [InlineData("other.tools", "sv-err-other-tools", "sv-other-tools")]
    [InlineData("respondent.email", "sv-err-email", "sv-email")]
    [InlineData("respondent.consent", "sv-err-consent", "sv-consent")]
    public void FieldFor_MapsAnErrorPathToItsField(string path, string errorId, string targetId) =>
        Assert.Equal((errorId, targetId), FormRenderer.FieldFor(Survey(), path));

    [Theory]
    [InlineData("answers.nope")]
    [InlineData("other.kind")]
    [InlineData("submissionId")]
    [InlineData("")]
    public void FieldFor_APathWithoutAField_IsNull(string path) => Assert.Null(FormRenderer.FieldFor(Survey(), path));

    [Fact]
    public void FormPolicy_FrameAncestorsAreSelfAndTheAllowedOrigins_AndNoInlineScript()
    {
        var policy = FormEndpoints.FormPolicy(new SurveyOptions { AllowedOrigins = "https://community.example.org, http://127.0.0.1:7071/" });
        Assert.Contains("frame-ancestors 'self' https://community.example.org http://127.0.0.1:7071;", policy + ";");
        Assert.Contains("script-src 'self';", policy);
        Assert.DoesNotContain("unsafe", policy);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("https://a.example.org,http://127.0.0.1:7071", true)]
    [InlineData("https://a.example.org/path", false)]
    [InlineData("https://a.example.org; script-src *", false)]
    [InlineData("ftp://a.example.org", false)]
    public void SurveyOptions_AcceptOnlyBareOrigins(string origins, bool valid) =>
        Assert.Equal(valid, new SurveyOptions { AllowedOrigins = origins }.HasValidOrigins());

    [Fact]
    public void EmbedJs_AsAHostPageLoadsIt_IsAtMost2KbGzipped_AndOnlyFramesTheForm()
    {
        var script = FormAssets.EmbedJs.Content;
        var gzipped = GzippedLength(script);
        output.WriteLine($"embed.js: {Encoding.UTF8.GetByteCount(script)} bytes, {gzipped} gzipped");
        Assert.True(gzipped <= 2048, $"embed.js is {gzipped} bytes gzipped (budget 2,048)");

        Assert.DoesNotContain("__FRAME_TITLES__", script);
        Assert.Contains("\"cy\":\"Arolwg\"", script);
        // It frames the form and does nothing else: no form of its own, no requests, no storage.
        Assert.Contains("createElement('iframe')", script);
        foreach (var absent in new[] { "attachShadow", "fetch(", "XMLHttpRequest", "document.cookie", "localStorage", "sv-form" })
            Assert.DoesNotContain(absent, script);
    }

    [Fact]
    public void FormJs_HasItsWords_AndNoPlaceholderLeft()
    {
        var script = FormAssets.FormJs.Content;
        Assert.DoesNotContain("__UI_TEXT__", script);
        Assert.Contains("\"form.errorSummary\":\"There is a problem\"", script);
        Assert.DoesNotContain("document.cookie", script);
        output.WriteLine($"form.js: {Encoding.UTF8.GetByteCount(script)} bytes, {GzippedLength(script)} gzipped");
    }

    /// <summary>Gzip at the level a server compresses responses with (the fastest that still compresses well).</summary>
    private static long GzippedLength(string text)
    {
        using var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(Encoding.UTF8.GetBytes(text));
        return gzipped.Length;
    }
}
