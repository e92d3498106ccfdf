namespace SurveyBackend.LocalHost;

internal static class AppFunctions
{
    /// <summary>
    /// An instance of one of the app's function classes, made from the app's DI as the worker makes it,
    /// so a WebJobs adapter's body is one call into the app. Adapters live in the trigger host, whose
    /// container holds the app's provider (<see cref="AppServices"/>).
    /// </summary>
    public static T Function<T>(this IServiceProvider services) where T : class =>
        ActivatorUtilities.CreateInstance<T>(services.GetService<AppServices>()?.Provider ?? services);
}
