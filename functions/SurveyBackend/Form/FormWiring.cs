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
        // Bound at start, so a value that is not true or false stops the app rather than the first request.
        services.AddOptions<DemoPageOptions>()
            .Bind(configuration.GetSection(DemoPageOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<FormEndpoints>();
        services.AddSingleton<ThankYouRenderer>();
        return services;
    }
}
