using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using SurveyBackend.Storage;

namespace SurveyBackend.Intake;

internal static class IntakeWiring
{
    /// <summary>The NCRONTAB setting the sweeper's timer reads (<c>%IntakeSweepSchedule%</c>).</summary>
    public const string SweepScheduleSetting = "IntakeSweepSchedule";

    /// <summary>The NCRONTAB setting the tombstone purge's timer reads (<c>%TombstonePurgeSchedule%</c>).</summary>
    public const string TombstonePurgeScheduleSetting = "TombstonePurgeSchedule";

    public static IServiceCollection AddIntake(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IntakeOptions>()
            .Bind(configuration.GetSection(IntakeOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.SweepAge >= TimeSpan.Zero, "Intake:SweepAge must not be negative.")
            .Validate(o => o.TombstoneRetention >= TimeSpan.Zero, "Intake:TombstoneRetention must not be negative.")
            .Validate(o => o.PendingRetention > TimeSpan.Zero, "Intake:PendingRetention must be positive.")
            .Validate(o => o.RetryAfter > TimeSpan.Zero, "Intake:RetryAfter must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<ISubmissionQueue, SubmissionQueue>();
        services.AddSingleton<IntakeService>();
        services.AddSingleton(_ => new SiteCheck(
            (configuration["Survey:AllowedOrigins"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            // The backend's public address, when it is not the host a request names (a front end that rewrites Host).
            Uri.TryCreate(configuration["Report:PublicBaseUrl"], UriKind.Absolute, out var own) ? [own.Host] : []));
        services.AddSingleton<FormTokens>();
        services.AddSingleton<IntakeCounter>();
        services.AddSingleton<IntakeCountStore>();
        services.AddOptions<IntakeCountOptions>();
        services.AddHostedService<IntakeCountFlusher>();
        services.AddSingleton<IntakeGate>();
        services.AddSingleton<ChallengeEndpoints>();
        services.AddSingleton<IntakeEndpoints>();
        services.AddSingleton<FloodGuard>();
        services.AddSingleton<PendingSweeper>();
        services.AddSingleton<TombstonePurger>();
        return services;
    }
}
