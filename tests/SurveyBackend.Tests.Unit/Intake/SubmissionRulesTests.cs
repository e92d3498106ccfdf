using System.Text;
using SurveyBackend.Intake;
using SurveyBackend.Surveys;
using SurveyBackend.Validation;
using SurveyBackend.Languages;

namespace SurveyBackend.Tests.Unit.Intake;

public sealed class SubmissionRulesTests
{
    private const string Id = "0b9f1c2e-5d7a-4f8e-9a61-3c2b7e4d9f10";

    private static readonly SurveyDefinition Survey = new()
    {
        Id = "test-survey",
        Title = "Test",
        Status = SurveyStatus.Open,
        Questions =
        [
            new Question
            {
                Id = "orgType", Text = "Type", Type = QuestionType.Single, Required = true,
                Options = [new() { Id = "county", Text = "County" }, new() { Id = "district", Text = "District" }],
            },
            new Question
            {
                Id = "channels", Text = "Channels", Type = QuestionType.Multiple, Required = true, AllowOther = true, MaxSelections = 3,
                Options = [new() { Id = "twitter", Text = "T" }, new() { Id = "facebook", Text = "F" }, new() { Id = "youtube", Text = "Y" }, new() { Id = "flickr", Text = "Fl" }],
            },
            new Question
            {
                Id = "insight", Text = "Insight", Type = QuestionType.Multiple,
                Options = [new() { Id = "reach", Text = "R" }, new() { Id = "policy", Text = "P" }, new() { Id = "none", Text = "None", Exclusive = true }],
            },
            new Question
            {
                Id = "resourcing", Text = "Resourcing", Type = QuestionType.Single,
                Options = [new() { Id = "same", Text = "Same" }, new() { Id = "more", Text = "More" }],
            },
        ],
    };

    private static Validated Check(string json)
    {
        var parsed = SubmissionJson.Parse(Encoding.UTF8.GetBytes(json));
        if (!parsed.IsValid) return new Validated(null, parsed.Errors.ToDictionary());
        var result = SubmissionRules.Validate(Survey, parsed.Value!);
        return new Validated(result.Value, result.Errors.ToDictionary());
    }

    private sealed record Validated(AcceptedSubmission? Value, IDictionary<string, string[]> Errors);

    private static string Valid(string answers = """ "orgType": "county", "channels": ["twitter", "facebook"] """, string extra = "") =>
        $$"""{ "submissionId": "{{Id}}", "answers": { {{answers}} } {{extra}} }""";

    private static void AssertFault(string json, string path)
    {
        var result = Check(json);
        Assert.Null(result.Value);
        Assert.True(result.Errors.ContainsKey(path), $"expected a fault at '{path}', got: {string.Join(", ", result.Errors.Keys)}");
    }

    [Fact]
    public void Validate_ValidSubmission_NormalisesAnswersInDefinitionOrder()
    {
        var result = Check(Valid(""" "orgType": "county", "channels": ["facebook", "twitter"], "insight": [] """));
        Assert.Empty(result.Errors);
        Assert.Equal(Id, result.Value!.SubmissionId);
        // One shape: a list for a single-choice question too, stored as the same JSON the anonymiser reads.
        Assert.Equal("""{"chosen":{"orgType":["county"],"channels":["twitter","facebook"]},"other":{}}""", result.Value.Answers.ToJson());
        Assert.Empty(result.Value.Answers.Other);
        Assert.Null(result.Value.Email);
    }

    [Fact]
    public void Validate_UpperCaseSubmissionId_IsNormalisedToLowerCase()
    {
        var result = Check(Valid().Replace(Id, Id.ToUpperInvariant()));
        Assert.Equal(Id, result.Value!.SubmissionId);
    }

    [Fact] public void Validate_UnknownQuestion_FaultsAtItsPath() => AssertFault(Valid(""" "orgType": "county", "channels": ["twitter"], "colour": "red" """), "answers.colour");
    [Fact] public void Validate_UnknownOptionOfSingle_FaultsAtQuestion() => AssertFault(Valid(""" "orgType": "city", "channels": ["twitter"] """), "answers.orgType");
    [Fact] public void Validate_UnknownOptionInList_FaultsAtItsIndex() => AssertFault(Valid(""" "orgType": "county", "channels": ["twitter", "myspace"] """), "answers.channels[1]");
    [Fact] public void Validate_MissingRequiredAnswer_Faults() => AssertFault(Valid(""" "channels": ["twitter"] """), "answers.orgType");
    [Fact] public void Validate_EmptyListForRequiredQuestion_Faults() => AssertFault(Valid(""" "orgType": "county", "channels": [] """), "answers.channels");
    [Fact] public void Validate_ListWhereOneIdIsDue_Faults() => AssertFault(Valid(""" "orgType": ["county"], "channels": ["twitter"] """), "answers.orgType");
    [Fact] public void Validate_StringWhereListIsDue_Faults() => AssertFault(Valid(""" "orgType": "county", "channels": "twitter" """), "answers.channels");
    [Fact] public void Validate_RepeatedOption_FaultsAtTheRepeat() => AssertFault(Valid(""" "orgType": "county", "channels": ["twitter", "twitter"] """), "answers.channels[1]");
    [Fact] public void Validate_MoreThanMaxSelections_Faults() => AssertFault(Valid(""" "orgType": "county", "channels": ["twitter", "facebook", "youtube", "flickr"] """), "answers.channels");
    [Fact] public void Validate_ExclusiveWithOthers_Faults() => AssertFault(Valid(""" "orgType": "county", "channels": ["twitter"], "insight": ["none", "reach"] """), "answers.insight");
    [Fact] public void Validate_NumberAsOptionId_FaultsAtItsIndex() => AssertFault(Valid(""" "orgType": "county", "channels": ["twitter", 7] """), "answers.channels[1]");
    [Fact] public void Validate_NullAnswer_Faults() => AssertFault(Valid(""" "orgType": null, "channels": ["twitter"] """), "answers.orgType");
    [Fact] public void Validate_NumberAnswer_Faults() => AssertFault(Valid(""" "orgType": 3, "channels": ["twitter"] """), "answers.orgType");
    [Fact] public void Validate_OtherOnQuestionWithoutAllowOther_Faults() => AssertFault(Valid(extra: """, "other": { "orgType": "A city" }"""), "other.orgType");
    [Fact] public void Validate_OtherOptionOnQuestionWithoutAllowOther_Faults() => AssertFault(Valid(""" "orgType": "other", "channels": ["twitter"] """), "answers.orgType");
    [Fact] public void Validate_OtherTextOver200Chars_Faults() => AssertFault(Valid(""" "orgType": "county", "channels": ["other"] """, $$""", "other": { "channels": "{{new string('x', 201)}}" }"""), "other.channels");
    [Fact] public void Validate_OtherTextWithoutChoosingOther_Faults() => AssertFault(Valid(extra: """, "other": { "channels": "Forum" }"""), "other.channels");
    [Fact] public void Validate_OtherTextForUnknownQuestion_Faults() => AssertFault(Valid(extra: """, "other": { "colour": "red" }"""), "other.colour");
    [Fact] public void Validate_SubmissionIdNotAUuid_Faults() => AssertFault(Valid().Replace(Id, "not-a-uuid"), "submissionId");
    [Fact] public void Validate_NilUuid_Faults() => AssertFault(Valid().Replace(Id, Guid.Empty.ToString()), "submissionId");
    [Fact] public void Validate_SubmissionIdAsNumber_Faults() => AssertFault(Valid().Replace($"\"{Id}\"", "42"), "submissionId");
    [Fact] public void Validate_SubmissionIdNull_Faults() => AssertFault(Valid().Replace($"\"{Id}\"", "null"), "submissionId");
    [Fact] public void Validate_SubmissionIdMissing_Faults() => AssertFault("""{ "answers": { "orgType": "county", "channels": ["twitter"] } }""", "submissionId");
    [Fact] public void Validate_AnswersMissing_Faults() => AssertFault($$"""{ "submissionId": "{{Id}}" }""", "answers");
    [Fact] public void Validate_UnknownTopLevelProperty_Faults() => AssertFault(Valid(extra: """, "score": 10"""), "score");
    [Fact] public void Validate_UnknownRespondentProperty_Faults() => AssertFault(Valid(extra: """, "respondent": { "phone": "0123" }"""), "respondent.phone");
    [Fact] public void Validate_DuplicateProperty_Faults() => AssertFault(Valid(""" "orgType": "county", "orgType": "district", "channels": ["twitter"] """), "answers.orgType");
    [Fact] public void Validate_WantsReportWithBadEmail_Faults() => AssertFault(Valid(extra: """, "respondent": { "email": "jo at example", "wantsReport": true, "consent": true }"""), "respondent.email");
    [Fact] public void Validate_WantsReportWithoutEmail_Faults() => AssertFault(Valid(extra: """, "respondent": { "wantsReport": true, "consent": true }"""), "respondent.email");
    [Fact] public void Validate_WantsReportAsString_Faults() => AssertFault(Valid(extra: """, "respondent": { "wantsReport": "yes" }"""), "respondent.wantsReport");
    [Fact] public void Validate_WebsiteAsNumber_Faults() => AssertFault(Valid(extra: """, "website": 1"""), "website");

    [Fact]
    public void Parse_MalformedJson_FaultsAtTheDocument()
    {
        Assert.False(SubmissionJson.Parse(Encoding.UTF8.GetBytes("""{ "answers": """)).IsValid);
        Assert.Contains("", SubmissionJson.Parse(Encoding.UTF8.GetBytes("[1]")).Errors.ToDictionary().Keys);
    }

    [Fact]
    public void Parse_InvalidUtf8InAString_FaultsAtTheDocument_WithoutThrowing()
    {
        var json = Encoding.UTF8.GetBytes(Valid()).ToList();
        json.InsertRange(json.IndexOf((byte)'0'), new byte[] { 0xC3, 0x28, 0xFF });
        var parsed = SubmissionJson.Parse(json.ToArray());
        Assert.False(parsed.IsValid);
        Assert.Contains("", parsed.Errors.ToDictionary().Keys);
    }

    [Fact]
    public void Validate_ManyFaults_AreAllReportedAtOnce()
    {
        var result = Check("""
            { "submissionId": "nope", "extra": 1,
              "answers": { "orgType": ["county"], "channels": ["twitter", "twitter", "myspace"], "colour": "red" },
              "other": { "orgType": "x" },
              "respondent": { "email": "bad", "wantsReport": true } }
            """);
        Assert.Equal(
            new[] { "answers.channels[1]", "answers.channels[2]", "answers.colour", "answers.orgType", "extra", "other.orgType", "respondent.email", "submissionId" },
            result.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_BadEmailWithoutWantsReport_IsAcceptedAndNotKept()
    {
        var result = Check(Valid(extra: """, "respondent": { "email": "not an address", "name": "Jo", "organisation": "Anyshire" }"""));
        Assert.Null(result.Value!.Email);
    }

    [Theory]
    [InlineData(true, true, "Jo@Example.GOV.uk")] // trimmed; the case as given, since mail goes to the address as given
    [InlineData(true, false, null)]
    [InlineData(false, true, null)]
    public void Validate_Email_IsKeptOnlyWithWantsReportAndConsent(bool wantsReport, bool consent, string? kept)
    {
        var result = Check(Valid(extra: $$""", "respondent": { "email": "  Jo@Example.GOV.uk ", "wantsReport": {{(wantsReport ? "true" : "false")}}, "consent": {{(consent ? "true" : "false")}} }"""));
        Assert.Equal(kept, result.Value!.Email);
    }

    [Fact]
    public void Validate_OtherText_IsTrimmedAndKeptForAllowOtherQuestion()
    {
        var result = Check(Valid(""" "orgType": "county", "channels": ["other", "twitter"] """, $$""", "other": { "channels": "  Local forum  " }"""));
        Assert.Equal("Local forum", result.Value!.Answers.Other["channels"]);
        Assert.Equal("""{"chosen":{"orgType":["county"],"channels":["twitter","other"]},"other":{"channels":"Local forum"}}""", result.Value.Answers.ToJson());
    }

    [Fact]
    public void Validate_OtherTextOfExactly200Chars_IsAccepted()
    {
        var result = Check(Valid(""" "orgType": "county", "channels": ["other"] """, $$""", "other": { "channels": "{{new string('x', 200)}}" }"""));
        Assert.NotNull(result.Value);
    }

    [Fact]
    public void Validate_HoneypotIsNotARule_TheServiceDecides()
    {
        var parsed = SubmissionJson.Parse(Encoding.UTF8.GetBytes(Valid(extra: """, "website": "http://spam" """)));
        Assert.Equal("http://spam", parsed.Value!.Website);
    }

    [Theory]
    [InlineData("jo@example.gov.uk", true)]
    [InlineData("a.b+c@sub.example.org", true)]
    [InlineData("jo@localhost", false)]
    [InlineData("jo@@example.org", false)]
    [InlineData("jo example@example.org", false)]
    [InlineData("@example.org", false)]
    [InlineData("jo@example..org", false)]
    [InlineData("jo@example.org.", false)]
    public void IsEmailAddress_AcceptsPlainAddressesOnly(string email, bool expected) =>
        Assert.Equal(expected, SubmissionRules.IsEmailAddress(email));
}

/// <summary>Addresses that are really addresses (issue #26 §4): each refusal a 400 at respondent.email, in the respondent's language.</summary>
public sealed class EmailAddressRulesTests
{
    private static readonly SurveyDefinition Survey = new()
    {
        Id = "test-survey",
        Title = "Test",
        Status = SurveyStatus.Open,
        Questions = [new Question { Id = "q", Text = "Q", Type = QuestionType.Single, Options = [new() { Id = "a", Text = "A" }, new() { Id = "b", Text = "B" }] }],
    };

    private static IDictionary<string, string[]> Errors(string email, string language = "en")
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new
        {
            submissionId = "0b9f1c2e-5d7a-4f8e-9a61-3c2b7e4d9f10", lang = language, answers = new { q = "a" },
            respondent = new { email, wantsReport = true, consent = true },
        });
        var parsed = SubmissionJson.Parse(Encoding.UTF8.GetBytes(json));
        Assert.True(parsed.IsValid);
        return SubmissionRules.Validate(Survey, parsed.Value!).Errors.ToDictionary();
    }

    public static TheoryData<string, string> Hidden => new()
    {
        { "jo\u202E@example.org", "right-to-left override" },
        { "jo\u2066@example.org", "left-to-right isolate" },
        { "jo\u200F@example.org", "right-to-left mark" },
        { "jo\u200B@example.org", "zero-width space" },
        { "jo@exa\u200Dmple.org", "zero-width joiner in the domain" },
        { "\uFEFFjo@example.org", "byte order mark" },
        { "jo\u00AD@example.org", "soft hyphen" },
        { "jo\u0007@example.org", "bell" },
        { "jo\u0000@example.org", "NUL" },
        { "jo\u00A0smith@example.org", "no-break space" },
        { "jo smith@example.org", "space" },
        { "jo\uE000@example.org", "private use" },
    };

    [Theory]
    [MemberData(nameof(Hidden))]
    public void HiddenCharacters_AreRefusedAtRespondentEmail_InEnglishAndWelsh(string email, string what)
    {
        Assert.True(Errors(email).TryGetValue("respondent.email", out var english), what);
        Assert.Equal(UiText.For("en")["error.emailCharacters"], Assert.Single(english));
        Assert.Equal(UiText.For("cy")["error.emailCharacters"], Assert.Single(Errors(email, "cy")["respondent.email"]));
    }

    [Theory]
    [InlineData("jo@example.c")]
    [InlineData("jo@example.1")]
    [InlineData("jo@1.2.3.4")]
    [InlineData("jo@example")]
    [InlineData("jo@-example.org")]
    [InlineData("jo@exa_mple.org")]
    [InlineData("jo@[192.0.2.1]")]
    public void AOneLetterOrNumericTopLevelDomain_OrAHostThatIsNot_IsRefused(string email)
    {
        Assert.Equal(UiText.For("en")["error.emailInvalid"], Assert.Single(Errors(email)["respondent.email"]));
        Assert.Equal(UiText.For("cy")["error.emailInvalid"], Assert.Single(Errors(email, "cy")["respondent.email"]));
    }

    [Fact]
    public void Over254Octets_IsRefusedAsTooLong_At254ItIsAccepted()
    {
        var domain = "@" + string.Join('.', Enumerable.Repeat(new string('d', 60), 3)) + ".example.org"; // 196 characters
        var longest = new string('j', 254 - domain.Length - 0) + domain;
        Assert.Equal(254, longest.Length);
        Assert.True(longest.IndexOf('@') <= 64);
        Assert.Empty(Errors(longest));
        var over = "j" + longest;
        Assert.Equal(UiText.For("en").Format("error.emailTooLong", ("max", 254)), Assert.Single(Errors(over)["respondent.email"]));
        Assert.Equal(UiText.For("cy").Format("error.emailTooLong", ("max", 254)), Assert.Single(Errors(over, "cy")["respondent.email"]));
        // Octets, not characters: a local part's letters count as their UTF-8 octets, and an internationalised domain as
        // its punycode, as it goes on the wire.
        var tooLong = UiText.For("en").Format("error.emailTooLong", ("max", 254));
        var wide = new string('é', 10) + "@" + string.Join('.', Enumerable.Repeat(new string('d', 60), 3)) + "." + new string('d', 52) + ".org";
        Assert.True(wide.Length <= 254 && System.Text.Encoding.UTF8.GetByteCount(wide) > 254);
        Assert.Equal(tooLong, Assert.Single(Errors(wide)["respondent.email"]));
        var unicode = new string('j', 40) + "@" + string.Join('.', Enumerable.Repeat("ü" + new string('d', 48), 4)) + ".de";
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(unicode) <= 254);
        Assert.Equal(tooLong, Assert.Single(Errors(unicode)["respondent.email"]));
    }

    [Theory]
    [InlineData("jo@example.gov.uk")]
    [InlineData("Jo.Smith+survey@Example.ORG")]
    [InlineData("jö@müller.de")]
    [InlineData("jo@例え.テスト")]
    [InlineData("jo@example.xn--p1ai")]
    [InlineData("  jo@example.org  ")]
    public void RealAddresses_AreAccepted(string email) => Assert.Empty(Errors(email));
}
