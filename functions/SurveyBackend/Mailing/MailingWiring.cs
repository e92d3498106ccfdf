using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SurveyBackend.Mailing;

internal static class MailingWiring
{
    public static IServiceCollection AddMailing(this IServiceCollection services, IConfiguration configuration)
    {
        return services;
    }
}
