using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SurveyBackend.Form;

internal static class FormWiring
{
    public static IServiceCollection AddForm(this IServiceCollection services, IConfiguration configuration)
    {
        return services;
    }
}
