using Microsoft.Extensions.Options;
using SurveyBackend.Intake;
using SurveyBackend.Privacy;

namespace SurveyBackend.Tests.Unit.Intake;

public sealed class FormTokensTests
{
    private const string SurveyId = "social-media-in-local-government";
    private const string SubmissionId = "0b9f1c2e-5d7a-4f8e-9a61-3c2b7e4d9f10";

    private readonly SettableClock _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private FormTokens Tokens(string secret = "a-test-secret-that-is-at-least-32-characters-long") =>
        new(Options.Create(new PrivacyOptions { Secret = secret }), _clock);

    [Fact]
    public void AToken_IsValid_ForItsSurveyAndSubmission_InAnyLetterCase()
    {
        var token = Tokens().Create(SurveyId, SubmissionId);
        Assert.Equal(FormTokenCheck.Valid, Tokens().Check(token, SurveyId, SubmissionId));
        Assert.Equal(FormTokenCheck.Valid, Tokens().Check(token, SurveyId, SubmissionId.ToUpperInvariant()));
    }

    [Fact]
    public void AToken_IsValidFor24Hours_ThenExpired()
    {
        var token = Tokens().Create(SurveyId, SubmissionId);
        _clock.Now += TimeSpan.FromHours(24);
        Assert.Equal(FormTokenCheck.Valid, Tokens().Check(token, SurveyId, SubmissionId));
        _clock.Now += TimeSpan.FromSeconds(1);
        Assert.Equal(FormTokenCheck.Expired, Tokens().Check(token, SurveyId, SubmissionId));
    }

    [Fact]
    public void AToken_IsInvalid_ForAnotherSubmissionOrSurvey_OrUnderAnotherSecret()
    {
        var token = Tokens().Create(SurveyId, SubmissionId);
        Assert.Equal(FormTokenCheck.Invalid, Tokens().Check(token, SurveyId, Guid.NewGuid().ToString()));
        Assert.Equal(FormTokenCheck.Invalid, Tokens().Check(token, "another-survey", SubmissionId));
        Assert.Equal(FormTokenCheck.Invalid, Tokens("another-secret-that-is-at-least-32-characters").Check(token, SurveyId, SubmissionId));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData(".abc")]
    [InlineData("-1.abc")]
    public void Malformed_IsInvalid(string? token) =>
        Assert.Equal(FormTokenCheck.Invalid, Tokens().Check(token, SurveyId, SubmissionId));

    [Fact]
    public void AnAlteredExpiry_IsInvalid_SoAnOldPageCannotBeMadeYoung()
    {
        var token = Tokens().Create(SurveyId, SubmissionId);
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        var later = (long.Parse(token[..dot], System.Globalization.CultureInfo.InvariantCulture) + 86_400).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(FormTokenCheck.Invalid, Tokens().Check(later + token[dot..], SurveyId, SubmissionId));
    }

    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
