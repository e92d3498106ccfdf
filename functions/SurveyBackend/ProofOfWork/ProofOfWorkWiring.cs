using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SurveyBackend.Storage;

namespace SurveyBackend.ProofOfWork;

internal static class ProofOfWorkWiring
{
    /// <summary>The NCRONTAB setting of the used challenges' purge (<c>%ChallengePurgeSchedule%</c>).</summary>
    public const string PurgeScheduleSetting = "ChallengePurgeSchedule";

    public static IServiceCollection AddProofOfWork(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProofOfWorkOptions>()
            .Bind(configuration.GetSection(ProofOfWorkOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ProofSecrets>();
        services.AddSingleton<ChallengeIssuer>();
        services.AddSingleton<ProofVerifier>();
        services.AddSingleton<UsedChallengeStore>();
        services.AddSingleton<ProofGate>();
        services.AddSingleton<UsedChallengePurger>();
        return services;
    }
}
