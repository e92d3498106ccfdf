using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SurveyBackend.Storage;

namespace SurveyBackend.Anonymity;

internal static class AnonymityWiring
{
    public static IServiceCollection AddAnonymity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AnonymityOptions>()
            .Bind(configuration.GetSection(AnonymityOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<OtherTextScrubber>();
        services.TryAddSingleton<IPipelineFaults, NoPipelineFaults>();
        services.AddSingleton<PendingRecipientStore>();
        services.AddSingleton<PoisonQueues>();
        services.AddSingleton<AnonymousResponses>();
        services.AddSingleton<SubmissionAnonymiser>();
        services.AddSingleton<RecipientFlusher>();
        services.AddSingleton<PoisonEndpoints>();
        return services;
    }
}
