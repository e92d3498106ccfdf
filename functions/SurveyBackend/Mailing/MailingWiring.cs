using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SurveyBackend.Storage;

namespace SurveyBackend.Mailing;

internal static class MailingWiring
{
    /// <summary>The NCRONTAB setting the mailer's timer reads (<c>%ReportEmailSchedule%</c>).</summary>
    public const string ReportEmailScheduleSetting = "ReportEmailSchedule";

    public static IServiceCollection AddMailing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EmailOptions>()
            .Bind(configuration.GetSection(EmailOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.Provider != EmailProvider.Outbox || !string.IsNullOrWhiteSpace(o.OutboxPath), "Email:OutboxPath is required with the Outbox provider.")
            .Validate(o => o.Provider != EmailProvider.Outbox || EmlMessage.AddressSpec(o.From) is not null, "Email:From must be a plain address (reports@example.org) with the Outbox provider.")
            .ValidateOnStart();
        services.AddOptions<SendGridOptions>()
            .Bind(configuration.GetSection(SendGridOptions.SectionName))
            .Validate<IOptions<EmailOptions>>((sendGrid, email) => email.Value.Provider != EmailProvider.SendGrid || !string.IsNullOrWhiteSpace(sendGrid.ApiKey),
                "SendGrid:ApiKey is required when Email:Provider is SendGrid.")
            .Validate(o => string.IsNullOrWhiteSpace(o.Host) || Uri.TryCreate(o.Host, UriKind.Absolute, out _), "SendGrid:Host must be an absolute URL.")
            .Validate(o => o.Timeout > TimeSpan.Zero, "SendGrid:Timeout must be positive.")
            .RefuseUnresolvedSecret("SendGrid__ApiKey", o => o.ApiKey)
            .ValidateOnStart();
        services.AddOptions<MailingOptions>()
            .Bind(configuration.GetSection(MailingOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.RunBudget > TimeSpan.Zero && o.RetryDelay >= TimeSpan.Zero && o.MaxRateLimitWait >= TimeSpan.Zero,
                "Mailing:RunBudget must be positive, RetryDelay and MaxRateLimitWait not negative.")
            .ValidateOnStart();

        services.AddSingleton<DeliveryStore>();
        services.AddSingleton<UnsubscribeStore>();
        services.AddSingleton<UnsubscribeTokens>();
        services.AddSingleton<AddressErasure>();
        services.AddSingleton<UnsubscribeEndpoints>();
        services.AddSingleton<DeliveryStatus>();
        services.AddSingleton<DeliveryStatusEndpoints>();
        services.AddSingleton<ReportEmailComposer>();
        services.AddSingleton<RecipientArrivals>();
        services.AddSingleton<ReportBatches>();
        services.AddSingleton<RetentionPolicy>();
        services.AddSingleton<RecipientRetention>();
        services.AddSingleton<FinalReportEndpoints>();
        services.AddSingleton<ReportMailer>();
        services.AddHttpClient<SendGridEmailSender>((provider, http) => http.Timeout = provider.GetRequiredService<IOptions<SendGridOptions>>().Value.Timeout)
            // The sender lives as long as the app (IEmailSender is a singleton), so its handler is kept and its
            // connections are recycled instead, to follow DNS changes.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        // The provider is chosen once, at start, from Email:Provider.
        services.AddSingleton<IEmailSender>(provider =>
            provider.GetRequiredService<IOptions<EmailOptions>>().Value.Provider == EmailProvider.SendGrid
                ? provider.GetRequiredService<SendGridEmailSender>()
                : ActivatorUtilities.CreateInstance<OutboxEmailSender>(provider));
        return services;
    }
}
