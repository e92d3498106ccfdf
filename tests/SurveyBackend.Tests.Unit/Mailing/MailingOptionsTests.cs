using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SurveyBackend.Mailing;

namespace SurveyBackend.Tests.Unit.Mailing;

public sealed class MailingOptionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddSurveyBackend(configuration).BuildServiceProvider();
    }

    private static readonly Dictionary<string, string?> Base = new()
    {
        ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        ["Anonymity:Secret"] = "a-test-secret-that-is-at-least-32-characters-long",
        ["Email:From"] = "reports@example.org",
        ["Report:PublicBaseUrl"] = "https://reports.example.org",
    };

    [Fact]
    public void Defaults_AreOutbox_Thirty_Days_And_1000_PerRequest()
    {
        using var provider = Build(Base);

        Assert.Equal(EmailProvider.Outbox, provider.GetRequiredService<IOptions<EmailOptions>>().Value.Provider);
        Assert.IsType<OutboxEmailSender>(provider.GetRequiredService<IEmailSender>());
        var mailing = provider.GetRequiredService<IOptions<MailingOptions>>().Value;
        Assert.Equal(30, mailing.RetentionDays);
        Assert.Equal(12, mailing.MaxRetentionMonths);
        Assert.Equal(1000, mailing.BatchSize);
        Assert.True(mailing.RunBudget < TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void SendGridProvider_WithoutApiKey_FailsValidation()
    {
        using var provider = Build(new(Base) { ["Email:Provider"] = "SendGrid" });

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SendGridOptions>>().Value);
    }

    [Fact]
    public void SendGridProvider_WithApiKey_UsesTheSendGridSender()
    {
        using var provider = Build(new(Base) { ["Email:Provider"] = "SendGrid", ["SendGrid:ApiKey"] = "SG.x", ["SendGrid:Host"] = "http://127.0.0.1:1" });

        Assert.IsType<SendGridEmailSender>(provider.GetRequiredService<IEmailSender>());
    }

    [Theory]
    [InlineData("Mailing:BatchSize", "1001")]
    [InlineData("Mailing:RetentionDays", "-1")]
    [InlineData("Report:PublicBaseUrl", "not a url")]
    [InlineData("Email:From", "")]
    // The outbox writes the sender into a header itself: only a plain address, refused at start otherwise.
    [InlineData("Email:From", "Reports <reports@example.org>")]
    public void OutOfRangeSetting_FailsValidation(string key, string value)
    {
        using var provider = Build(new(Base) { [key] = value });

        Assert.ThrowsAny<OptionsValidationException>(() =>
        {
            _ = provider.GetRequiredService<IOptions<MailingOptions>>().Value;
            _ = provider.GetRequiredService<IOptions<SurveyBackend.Reports.ReportOptions>>().Value;
            _ = provider.GetRequiredService<IOptions<EmailOptions>>().Value;
        });
    }
}
