using Microsoft.AspNetCore.WebUtilities;
using SurveyBackend.Form;
using SurveyBackend.Intake;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Unit.Form;

public class FormFieldsTests
{
    private static readonly SurveyDefinition Survey = new()
    {
        Id = "pulse-2026",
        Title = "Pulse",
        Status = SurveyStatus.Open,
        Questions =
        [
            new Question { Id = "kind", Text = "Kind?", Type = QuestionType.Single, Required = true,
                Options = [new QuestionOption { Id = "a", Text = "A" }, new QuestionOption { Id = "b", Text = "B" }] },
            new Question { Id = "tools", Text = "Tools?", Type = QuestionType.Multiple, AllowOther = true,
                Options = [new QuestionOption { Id = "x", Text = "X" }, new QuestionOption { Id = "y", Text = "Y" }] },
        ],
    };

    private static (SubmissionRequest Submission, FormValues Values) Read(string body) =>
        FormFields.Read(Survey, new FormReader(body).ReadForm());

    [Fact]
    public void Read_MapsTheFormFieldsToTheSameRequestTheJsonRouteBuilds()
    {
        var (submission, values) = Read(
            "submissionId=0b9f1c2e-5d7a-4f8e-9a61-3c2b7e4d9f10&answers.kind=b&answers.tools=x&answers.tools=other"
            + "&other.tools=Local+forum%21&respondent.email=+jo%40example.org+&respondent.wantsReport=true&website=");

        Assert.Equal("0b9f1c2e-5d7a-4f8e-9a61-3c2b7e4d9f10", submission.SubmissionId);
        Assert.Equal(AnswerInput.One("b").OptionIds, submission.Answers["kind"].OptionIds);
        Assert.False(submission.Answers["kind"].IsList);
        Assert.True(submission.Answers["tools"].IsList);
        Assert.Equal(["x", "other"], submission.Answers["tools"].OptionIds);
        Assert.Equal("Local forum!", submission.Other["tools"]);
        Assert.Equal(new RespondentInput("jo@example.org", null, null, true, true), submission.Respondent);
        Assert.Equal("", submission.Website);

        Assert.Equal(["x", "other"], values.Answers["tools"]);
        Assert.Equal("jo@example.org", values.Email);
        Assert.True(values.WantsReport);
    }

    [Fact]
    public void Read_AMultipleChoiceQuestionWithOneBoxTicked_IsStillAList()
    {
        var (submission, _) = Read("answers.tools=y");
        Assert.True(submission.Answers["tools"].IsList);
    }

    [Fact]
    public void Read_NoEmailAndNoConsent_MeansNoRespondent_AndEmptyOtherIsDropped()
    {
        var (submission, _) = Read("answers.kind=a&respondent.email=&other.tools=++");
        Assert.Null(submission.Respondent);
        Assert.Empty(submission.Other);
    }

    [Fact]
    public void Read_WithoutASubmissionId_TheRequestHasNone_ButTheFormGetsOneForItsNextTry()
    {
        var (submission, values) = Read("answers.kind=a");
        Assert.Null(submission.SubmissionId);
        Assert.True(Guid.TryParse(values.SubmissionId, out _));
    }
}
