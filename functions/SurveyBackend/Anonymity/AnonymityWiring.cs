using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SurveyBackend.Anonymity;

internal static class AnonymityWiring
{
    public static IServiceCollection AddAnonymity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AnonymityOptions>()
            .Bind(configuration.GetSection(AnonymityOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<SubmissionKeys>();
        return services;
    }
}
