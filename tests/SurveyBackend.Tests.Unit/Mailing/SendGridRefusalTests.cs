using SurveyBackend.Mailing;

namespace SurveyBackend.Tests.Unit.Mailing;

/// <summary>How a SendGrid 400 is read: which recipients it names, whether it names nothing, and a reason with no address in it.</summary>
public sealed class SendGridRefusalTests
{
    [Theory]
    [InlineData("personalizations.3.to.0.email", 3)]
    [InlineData("personalizations.0.to", 0)]
    [InlineData("personalizations.12.to.0", 12)]
    public void AFieldOfARecipientsTo_NamesThatRecipient(string field, int index)
    {
        var result = SendGridEmailSender.Refusal(400, [("Does not contain a valid address.", field)], recipients: 20);

        Assert.Equal(SendStatus.Rejected, result.Status);
        Assert.Equal([index], result.Refused);
        Assert.False(result.NothingNamed);
    }

    [Fact]
    public void SeveralNamedAndOneUnnamed_NamesEachNamedOne_AndTheReasonHasNoAddress()
    {
        var result = SendGridEmailSender.Refusal(400,
            [("The to email jo@example.org is not valid.", "personalizations.1.to.0.email"), ("x", "personalizations.4.to.0.email"), ("Bad Request", null)],
            recipients: 5);

        Assert.Equal([1, 4], result.Refused);
        Assert.DoesNotContain("@", result.Reason);
        Assert.Contains("400", result.Reason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void NoField_NamesNothing(string? field)
    {
        var result = SendGridEmailSender.Refusal(400, [("Bad Request", field)], recipients: 5);

        Assert.Empty(result.Refused);
        Assert.True(result.NothingNamed);
    }

    [Fact]
    public void NoBodyAtAll_NamesNothing()
    {
        var result = SendGridEmailSender.Refusal(413, [], recipients: 5);

        Assert.True(result.NothingNamed);
        Assert.Equal("SendGrid answered 413: no details.", result.Reason);
    }

    [Theory]
    [InlineData("content.0.value")]
    [InlineData("from")]
    [InlineData("personalizations.2.headers")]
    [InlineData("personalizations.9.to.0.email")]
    public void AFieldOfTheMessage_OrOfNoRecipientInTheBatch_NamesNoRecipient_ButIsNotNothing(string field)
    {
        var result = SendGridEmailSender.Refusal(400, [("The content value must be a string.", field)], recipients: 5);

        Assert.Empty(result.Refused);
        Assert.False(result.NothingNamed);
    }
}
