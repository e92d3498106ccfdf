using System.Text;
using System.Text.Encodings.Web;
using SurveyBackend.Languages;
using SurveyBackend.Surveys;

namespace SurveyBackend.Form;

/// <summary>What a respondent has filled in so far: blank for a new form, their post when it comes back with errors.</summary>
public sealed record FormValues
{
    public required string SubmissionId { get; init; }
    /// <summary>Question id → the option ids chosen.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Answers { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
    /// <summary>Question id → "Other" text.</summary>
    public IReadOnlyDictionary<string, string> Other { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
    public string? Email { get; init; }
    public bool WantsReport { get; init; }
    /// <summary>The page comes back from the language switch: the switch takes focus again, where the respondent left it.</summary>
    public bool LanguageSwitched { get; init; }
    /// <summary>The signed token that shows a post came from this page (<see cref="Intake.FormTokens"/>), bound to <see cref="SubmissionId"/>.</summary>
    public string? FormToken { get; init; }

    public static FormValues New() => new() { SubmissionId = Guid.NewGuid().ToString("D") };
}

/// <summary>
/// Renders a survey as an accessible HTML form (docs/form.md), everything from the definition or the respondent
/// HTML-encoded. The form's one renderer: form.js takes over this markup in the browser, and host pages frame the page
/// it is on (embed.js).
/// </summary>
public static class FormRenderer
{
    /// <summary>The no-JS form's language switch: a submit button, so the answers given so far come back with the page.</summary>
    public const string SwitchField = "switchLang";
    public const string LanguageField = "lang";
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;
    private static UiText English => UiText.For(UiText.English);

    /// <param name="action">Where the plain (no-JS) post goes, relative to the page.</param>
    /// <param name="errors">Field path (<c>answers.channels</c>) → messages, as the intake rules report them.</param>
    /// <param name="text">The language of the page; the survey's texts are shown in it (<see cref="SurveyDefinition.In"/>).</param>
    /// <param name="retention">How long the address is kept, in words (<c>RetentionPolicy.Words</c>), shown in the email field's note.</param>
    public static string Form(SurveyDefinition survey, FormValues values, IDictionary<string, string[]>? errors, string action, UiText? text = null, string? retention = null)
    {
        text ??= English;
        var offered = survey.Languages;
        survey = survey.In(text.Language);
        errors ??= new Dictionary<string, string[]>();
        var b = new StringBuilder(16 * 1024);
        b.Append("<form class=\"sv-form\" method=\"post\" action=\"").Append(Html.Encode(action))
         .Append("\" accept-charset=\"utf-8\" novalidate data-survey-id=\"").Append(Html.Encode(survey.Id)).Append("\">");
        // Enter in a text field presses the form's first submit button: make that one Send, not the language switch.
        b.Append("<button type=\"submit\" hidden></button>");
        LanguageSwitch(b, offered, text, values.LanguageSwitched);
        b.Append("<h1 class=\"sv-title\">").Append(Html.Encode(survey.Title)).Append("</h1>");
        if (!string.IsNullOrWhiteSpace(survey.Description))
            b.Append("<p class=\"sv-description\">").Append(Html.Encode(survey.Description)).Append("</p>");
        b.Append("<p class=\"sv-intro\">").Append(Html.Encode(text.Format("form.intro", ("required", text["form.required"])))).Append("</p>");
        ErrorSummary(b, survey, errors, text);
        b.Append("<input type=\"hidden\" name=\"submissionId\" value=\"").Append(Html.Encode(values.SubmissionId)).Append("\">");
        if (values.FormToken is { } token)
            b.Append("<input type=\"hidden\" name=\"").Append(Intake.FormTokens.FieldName).Append("\" value=\"").Append(Html.Encode(token)).Append("\">");
        b.Append("<input type=\"hidden\" name=\"").Append(LanguageField).Append("\" value=\"").Append(text.Language).Append("\">");

        for (var i = 0; i < survey.Questions.Count; i++) Question(b, survey.Questions[i], i + 1, values, errors, text);
        Respondent(b, survey.Privacy, values, errors, text, retention);

        // The honeypot: off-screen, out of the tab order and hidden from assistive technology, so only bots fill it.
        b.Append("<div class=\"sv-hp\" aria-hidden=\"true\"><label for=\"sv-website\">").Append(Html.Encode(text["form.honeypot"])).Append("</label>")
         .Append("<input type=\"text\" id=\"sv-website\" name=\"website\" tabindex=\"-1\" autocomplete=\"off\"></div>");
        b.Append("<p class=\"sv-status\" role=\"status\"></p>");
        b.Append("<button type=\"submit\" class=\"sv-submit\" id=\"sv-submit\">").Append(Html.Encode(text["form.submit"])).Append("</button>");
        b.Append("</form>");
        return b.ToString();
    }

    public static string ThankYou(string receipt, UiText? text = null)
    {
        text ??= English;
        return "<div class=\"sv-done\" tabindex=\"-1\"><h1 class=\"sv-title\">" + Html.Encode(text["form.thanksTitle"]) + "</h1>"
            + "<p>" + Html.Encode(text["form.thanksText"]) + "</p>"
            + "<p>" + Html.Encode(text["form.receipt"]) + " <code class=\"sv-receipt\">" + Html.Encode(receipt) + "</code></p></div>";
    }

    /// <summary>
    /// "Cymraeg" on an English page, "English" on a Welsh one, when the survey offers both: a submit button named
    /// <see cref="SwitchField"/>, so without JavaScript the answers so far post back and return in the other language.
    /// The script leaves it to the server too. Its label is in the language it switches to, marked with lang.
    /// </summary>
    private static void LanguageSwitch(StringBuilder b, IReadOnlyList<string> offered, UiText text, bool focus)
    {
        if (offered.Count < 2) return;
        b.Append("<p class=\"sv-language\">");
        foreach (var language in offered.Where(l => l != text.Language))
        {
            b.Append("<button type=\"submit\" class=\"sv-language-switch\" name=\"").Append(SwitchField).Append("\" value=\"").Append(language)
             .Append("\" lang=\"").Append(language).Append(focus ? "\" formnovalidate autofocus>" : "\" formnovalidate>").Append(Html.Encode(UiText.For(language)["language.name"])).Append("</button>");
        }
        b.Append("</p>");
    }

    /// <summary>A closed or unknown survey, or another dead end: a heading and a sentence.</summary>
    public static string Message(string title, string text) =>
        "<div class=\"sv-done sv-message\" tabindex=\"-1\"><h1 class=\"sv-title\">" + Html.Encode(title) + "</h1><p>" + Html.Encode(text) + "</p></div>";

    /// <summary>Where a field's error goes and which control a summary link focuses; null when the path names no field.</summary>
    public static (string ErrorId, string TargetId)? FieldFor(SurveyDefinition survey, string path)
    {
        if (path.StartsWith("answers.", StringComparison.Ordinal))
        {
            var id = path["answers.".Length..];
            var bracket = id.IndexOf('[', StringComparison.Ordinal);
            if (bracket >= 0) id = id[..bracket];
            var question = survey.FindQuestion(id);
            return question is null ? null : ("sv-err-q-" + question.Id, OptionId(question.Id, question.Options[0].Id));
        }
        if (path.StartsWith("other.", StringComparison.Ordinal))
        {
            var question = survey.FindQuestion(path["other.".Length..]);
            return question is { AllowOther: true } ? ("sv-err-other-" + question.Id, "sv-other-" + question.Id) : null;
        }
        return path switch
        {
            "respondent.email" => ("sv-err-email", "sv-email"),
            "respondent.wantsReport" or "respondent.consent" => ("sv-err-consent", "sv-consent"),
            _ => null,
        };
    }

    private static string OptionId(string questionId, string optionId) => "sv-q-" + questionId + "-" + optionId;

    private static void ErrorSummary(StringBuilder b, SurveyDefinition survey, IDictionary<string, string[]> errors, UiText text)
    {
        if (errors.Count == 0) return;
        // autofocus: without JavaScript too, focus lands on the summary when the page comes back with errors.
        b.Append("<div class=\"sv-summary\" tabindex=\"-1\" role=\"alert\" autofocus aria-labelledby=\"sv-summary-title\">")
         .Append("<h2 class=\"sv-summary-title\" id=\"sv-summary-title\">").Append(Html.Encode(text["form.errorSummary"])).Append("</h2><ul>");
        // In the order of the form, so the list reads like the page.
        foreach (var (path, messages) in errors.OrderBy(e => Order(survey, e.Key)))
        {
            var field = FieldFor(survey, path);
            foreach (var message in messages)
            {
                b.Append("<li>");
                if (field is { } f) b.Append("<a href=\"#").Append(Html.Encode(f.TargetId)).Append("\">").Append(Html.Encode(message)).Append("</a>");
                else b.Append(Html.Encode(message));
                b.Append("</li>");
            }
        }
        b.Append("</ul></div>");
    }

    private static int Order(SurveyDefinition survey, string path)
    {
        for (var i = 0; i < survey.Questions.Count; i++)
        {
            var id = survey.Questions[i].Id;
            if (path == "answers." + id || path.StartsWith("answers." + id + "[", StringComparison.Ordinal)) return 2 * i;
            if (path == "other." + id) return 2 * i + 1;
        }
        // Faults that belong to no field (the body, the submission id) come first, as form.js lists them.
        return path.StartsWith("respondent.", StringComparison.Ordinal) ? 10_000 : -1;
    }

    private static string[] MessagesFor(IDictionary<string, string[]> errors, Func<string, bool> path) =>
        [.. errors.Where(e => path(e.Key)).SelectMany(e => e.Value)];

    private static void Question(StringBuilder b, Question q, int number, FormValues values, IDictionary<string, string[]> errors, UiText text)
    {
        var qid = Html.Encode(q.Id);
        var errorId = "sv-err-q-" + q.Id;
        var messages = MessagesFor(errors, p => p == "answers." + q.Id || p.StartsWith("answers." + q.Id + "[", StringComparison.Ordinal));
        var hint = q.Type == QuestionType.Single ? text["form.hintOne"]
            : q.MaxSelections is { } max ? text.Format("form.hintUpTo", ("max", max)) : text["form.hintAll"];
        var chosen = values.Answers.TryGetValue(q.Id, out var c) ? c : [];
        var type = q.Type == QuestionType.Single ? "radio" : "checkbox";

        b.Append("<div class=\"sv-question").Append(messages.Length > 0 ? " sv-question--error" : "")
         .Append("\" data-question=\"").Append(qid).Append("\" data-type=\"").Append(type)
         .Append("\" data-required=\"").Append(q.Required ? "true" : "false").Append('"');
        if (q.MaxSelections is { } limit) b.Append(" data-max=\"").Append(limit).Append('"');
        b.Append('>');
        b.Append("<fieldset class=\"sv-fieldset\" aria-describedby=\"sv-hint-q-").Append(qid)
         .Append(messages.Length > 0 ? " " + Html.Encode(errorId) : "").Append("\">");
        b.Append("<legend class=\"sv-legend\">").Append(number).Append(". ").Append(Html.Encode(q.Text));
        if (q.Required) b.Append(" <span class=\"sv-required\">").Append(Html.Encode(text["form.required"])).Append("</span>");
        b.Append("</legend>");
        b.Append("<p class=\"sv-hint\" id=\"sv-hint-q-").Append(qid).Append("\">").Append(Html.Encode(hint)).Append("</p>");
        FieldError(b, errorId, messages, text);
        b.Append("<div class=\"sv-options\">");
        foreach (var option in q.Options)
        {
            if (option.Exclusive) b.Append("<p class=\"sv-or\">").Append(Html.Encode(text["form.or"])).Append("</p>");
            Option(b, q, type, option.Id, option.Text, option.Exclusive, chosen);
        }
        if (q.AllowOther)
        {
            Option(b, q, type, SurveyRules.OtherOptionId, text["form.other"], false, chosen);
            var otherErrorId = "sv-err-other-" + q.Id;
            var otherMessages = MessagesFor(errors, p => p == "other." + q.Id);
            b.Append("<div class=\"sv-other").Append(otherMessages.Length > 0 ? " sv-other--error" : "").Append("\">")
             .Append("<label class=\"sv-label\" for=\"sv-other-").Append(qid).Append("\">")
             .Append(Html.Encode(text.Format("form.otherLabel", ("max", SurveyRules.MaxOtherTextLength)))).Append("</label>");
            FieldError(b, otherErrorId, otherMessages, text);
            b.Append("<input class=\"sv-input\" type=\"text\" id=\"sv-other-").Append(qid).Append("\" name=\"other.").Append(qid)
             .Append("\" maxlength=\"").Append(SurveyRules.MaxOtherTextLength).Append("\" autocomplete=\"off\" value=\"")
             .Append(Html.Encode(values.Other.TryGetValue(q.Id, out var given) ? given : "")).Append('"');
            if (otherMessages.Length > 0) b.Append(" aria-invalid=\"true\" aria-describedby=\"").Append(Html.Encode(otherErrorId)).Append('"');
            b.Append("></div>");
        }
        b.Append("</div></fieldset></div>");
    }

    private static void Option(StringBuilder b, Question q, string type, string optionId, string text, bool exclusive, IReadOnlyList<string> chosen)
    {
        var id = Html.Encode(OptionId(q.Id, optionId));
        b.Append("<div class=\"sv-option\"><input class=\"sv-control\" type=\"").Append(type).Append("\" id=\"").Append(id)
         .Append("\" name=\"answers.").Append(Html.Encode(q.Id)).Append("\" value=\"").Append(Html.Encode(optionId)).Append('"');
        if (exclusive) b.Append(" data-exclusive=\"true\"");
        if (chosen.Contains(optionId)) b.Append(" checked");
        b.Append("><label class=\"sv-option-label\" for=\"").Append(id).Append("\">").Append(Html.Encode(text)).Append("</label></div>");
    }

    private static void Respondent(StringBuilder b, SurveyPrivacy? privacy, FormValues values, IDictionary<string, string[]> errors, UiText text, string? retention)
    {
        var emailMessages = MessagesFor(errors, p => p == "respondent.email");
        var consentMessages = MessagesFor(errors, p => p is "respondent.wantsReport" or "respondent.consent");

        b.Append("<fieldset class=\"sv-fieldset sv-respondent\" aria-describedby=\"sv-hint-email\">")
         .Append("<legend class=\"sv-legend\">").Append(Html.Encode(text["form.reportLegend"])).Append("</legend>")
         .Append("<p class=\"sv-hint\" id=\"sv-hint-email\">").Append(Html.Encode(text["form.reportHint"]))
         .Append(retention is null ? "" : " " + Html.Encode(retention)).Append("</p>");
        b.Append("<div class=\"sv-field").Append(emailMessages.Length > 0 ? " sv-field--error" : "").Append("\">")
         .Append("<label class=\"sv-label\" for=\"sv-email\">").Append(Html.Encode(text["form.emailLabel"])).Append("</label>");
        FieldError(b, "sv-err-email", emailMessages, text);
        b.Append("<input class=\"sv-input\" type=\"email\" id=\"sv-email\" name=\"respondent.email\" autocomplete=\"email\" spellcheck=\"false\" maxlength=\"254\" value=\"")
         .Append(Html.Encode(values.Email ?? "")).Append("\" aria-describedby=\"").Append(PrivacyNotice.ShortId);
        b.Append(emailMessages.Length > 0 ? " sv-err-email\" aria-invalid=\"true\"" : "\"");
        b.Append('>');
        PrivacyNotice.Short(b, privacy, text);
        b.Append("</div>");
        PrivacyNotice.Full(b, privacy, text, retention);
        b.Append("<div class=\"sv-consent").Append(consentMessages.Length > 0 ? " sv-field--error" : "").Append("\">");
        FieldError(b, "sv-err-consent", consentMessages, text);
        b.Append("<div class=\"sv-option\"><input class=\"sv-control\" type=\"checkbox\" id=\"sv-consent\" name=\"respondent.wantsReport\" value=\"true\"");
        if (values.WantsReport) b.Append(" checked");
        if (consentMessages.Length > 0) b.Append(" aria-describedby=\"sv-err-consent\"");
        b.Append("><label class=\"sv-option-label\" for=\"sv-consent\">").Append(Html.Encode(text["form.consent"])).Append("</label></div></div>");
        b.Append("</fieldset>");
    }

    private static void FieldError(StringBuilder b, string id, string[] messages, UiText text)
    {
        if (messages.Length == 0) return;
        b.Append("<p class=\"sv-error\" id=\"").Append(Html.Encode(id)).Append("\"><span class=\"sv-visually-hidden\">").Append(Html.Encode(text["form.errorPrefix"])).Append(" </span>")
         .Append(string.Join(" ", messages.Select(m => Html.Encode(m)))).Append("</p>");
    }
}
