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
            .RefuseUnresolvedSecret("Anonymity__Secret", o => o.Secret)
            .ValidateOnStart();
        services.AddSingleton<PrivacyKeys>();
        services.AddSingleton<RecipientSeal>();
        return services;
    }
}
