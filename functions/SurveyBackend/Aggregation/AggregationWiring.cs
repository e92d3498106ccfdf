using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SurveyBackend.Storage;

namespace SurveyBackend.Aggregation;

internal static class AggregationWiring
{
    public static IServiceCollection AddAggregation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AggregationOptions>()
            .Bind(configuration.GetSection(AggregationOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<AggregateStore>();
        services.AddSingleton<ResponseCounter>();
        services.AddSingleton<ResultsService>();
        services.AddSingleton<AggregateRebuilder>();
        services.AddSingleton<AggregationEndpoints>();
        return services;
    }
}
