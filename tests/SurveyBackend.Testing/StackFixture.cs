using Xunit;

namespace SurveyBackend.Testing;

/// <summary>One Azurite and one local host for a whole test collection, with the sample survey loaded.</summary>
public class StackFixture : IAsyncLifetime
{
    public AzuriteServer Azurite { get; private set; } = null!;
    public LocalHostServer Host { get; private set; } = null!;

    /// <summary>Settings a derived fixture wants for its host (Section:Key or Section__Key).</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteServer.StartNewAsync();
        Host = await LocalHostServer.StartAsync(Azurite, Settings);
        await Host.PutSampleSurveyAsync();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}
