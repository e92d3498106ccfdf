using Microsoft.Extensions.Options;
using SurveyBackend.Mailing;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;

namespace SurveyBackend.Tests.Unit.Mailing;

/// <summary>The retention rule on its own: which date wins, with and without a final report, a close date, an open date.</summary>
public sealed class RetentionPolicyTests
{
    private static readonly DateTimeOffset Opens = new(2026, 1, 10, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Closes = new(2026, 6, 30, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Mailed = new(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly RetentionPolicy Policy = new(null!, null!, Options.Create(new MailingOptions { RetentionDays = 30, MaxRetentionMonths = 12 }));

    private static SurveyDefinition Survey(DateTimeOffset? opens, DateTimeOffset? closes) =>
        new() { Id = "s", Title = "S", Status = SurveyStatus.Open, OpensAt = opens, ClosesAt = closes, Questions = [] };

    private static ReportMailing Report(bool final, DateTimeOffset? completed) =>
        new(Guid.NewGuid().ToString("N"), "s", Opens, completed is null ? MailingStatus.Active : MailingStatus.Complete, completed, false, final);

    [Fact]
    public void FinalReportMailed_ThirtyDaysAfterItsMailing_WhenThatIsSooner()
    {
        Assert.Equal(Mailed.AddDays(30), Policy.DeadlineFor(Survey(Opens, Closes), [Report(true, Mailed)], null));
    }

    [Fact]
    public void FinalReportMailedLate_TheCapAfterTheCloseWins()
    {
        var late = Closes.AddMonths(12).AddDays(-10);
        Assert.Equal(Closes.AddMonths(12), Policy.DeadlineFor(Survey(Opens, Closes), [Report(true, late)], null));
    }

    [Fact]
    public void InterimReportsOnly_OrAFinalOneStillMailing_OnlyTheCap()
    {
        Assert.Equal(Closes.AddMonths(12), Policy.DeadlineFor(Survey(Opens, Closes), [Report(false, Mailed)], null));
        Assert.Equal(Closes.AddMonths(12), Policy.DeadlineFor(Survey(Opens, Closes), [Report(true, Mailed), Report(true, null)], null));
    }

    [Fact]
    public void SeveralFinalReports_TheLastOfThemToBeMailed()
    {
        Assert.Equal(Mailed.AddDays(40), Policy.DeadlineFor(Survey(Opens, Closes), [Report(true, Mailed), Report(true, Mailed.AddDays(10))], null));
    }

    [Fact]
    public void NoCloseDate_TheCapCountsFromTheOpenDate_ElseFromWhenItWasFirstSeenOpen()
    {
        Assert.Equal(Opens.AddMonths(12), Policy.DeadlineFor(Survey(Opens, null), [], null));
        var seen = Opens.AddDays(3);
        Assert.Equal(seen.AddMonths(12), Policy.DeadlineFor(Survey(null, null), [], new RetentionMark(seen, null)));
        Assert.Null(Policy.DeadlineFor(Survey(null, null), [], null));
    }

    [Fact]
    public void ClosedByHandBeforeItsCloseDate_TheCapCountsFromTheSaveThatClosedIt()
    {
        var closedEarly = Closes.AddMonths(-3);
        var closed = Survey(Opens, Closes) with { Status = SurveyStatus.Closed };
        Assert.Equal(closedEarly.AddMonths(12), Policy.DeadlineFor(closed, [], null, savedAt: closedEarly));
        // Saved after its close date (a wording fixed later), or still open: the close date stands.
        Assert.Equal(Closes.AddMonths(12), Policy.DeadlineFor(closed, [], null, savedAt: Closes.AddDays(5)));
        Assert.Equal(Closes.AddMonths(12), Policy.DeadlineFor(Survey(Opens, Closes), [], null, savedAt: closedEarly));
    }

    [Fact]
    public void OncePurged_ThePurgeIsTheDeadline_SoLaterArrivalsAreDeletedToo()
    {
        var purged = Opens.AddDays(5);
        Assert.Equal(purged, Policy.DeadlineFor(Survey(Opens, Closes), [], new RetentionMark(null, purged)));
    }

    [Fact]
    public void TheWords_NameTheSettingsPeriods_AndTheCloseOrOpenDate()
    {
        var policy = new RetentionPolicy(null!, null!, Options.Create(new MailingOptions { RetentionDays = 7, MaxRetentionMonths = 6 }));
        var english = SurveyBackend.Languages.UiText.For("en");

        Assert.Equal("It is deleted 7 days after the survey’s final report has been emailed, and in any case no later than 6 months after the survey closes. If you unsubscribe, it is deleted at once.",
            policy.Words(english, Survey(Opens, Closes)));
        Assert.EndsWith("no later than 6 months after the survey opened. If you unsubscribe, it is deleted at once.", policy.Words(english, Survey(Opens, null)));
        Assert.StartsWith("Caiff ei ddileu 7 diwrnod", policy.Words(SurveyBackend.Languages.UiText.For("cy"), Survey(Opens, Closes)));
    }
}
