using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SurveyBackend.Form;

internal static class FormWiring
{
    public static IServiceCollection AddForm(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SurveyOptions>()
            .Bind(configuration.GetSection(SurveyOptions.SectionName))
            .Validate(o => o.HasValidOrigins(), "Survey:AllowedOrigins must be comma-separated origins such as https://community.example.org (scheme, host and port only).")
            .ValidateOnStart();
        services.AddSingleton<FormPages>();
        services.AddSingleton<FormPost>();
        services.AddSingleton<ThankYouRenderer>();
        return services;
    }
}
