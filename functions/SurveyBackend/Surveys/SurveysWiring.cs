using Microsoft.Extensions.DependencyInjection;

namespace SurveyBackend.Surveys;

internal static class SurveysWiring
{
    public static IServiceCollection AddSurveys(this IServiceCollection services)
    {
        services.AddSingleton<SurveyCatalog>();
        services.AddSingleton<SurveyEndpoints>();
        return services;
    }
}
