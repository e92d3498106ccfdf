using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SurveyBackend.Privacy;

internal static class PrivacyWiring
{
    public static IServiceCollection AddPrivacy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PrivacyOptions>()
            .Bind(configuration.GetSection(PrivacyOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.PreviousSecretsFault() is null, "Anonymity:PreviousSecrets: each previous secret must be at least 32 characters, listed once, and not the current secret.")
            .RefuseUnresolvedSecret("Anonymity__Secret", o => o.Secret)
            .RefuseUnresolvedSecret("Anonymity__PreviousSecrets", o => o.PreviousSecrets)
            .ValidateOnStart();
        services.AddSingleton<PrivacyKeys>();
        services.AddSingleton<RecipientSeal>();
        return services;
    }
}
