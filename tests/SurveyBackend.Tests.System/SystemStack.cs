using SurveyBackend.Testing;
using SurveyBackend.Tests.System.Harness;

// The scenarios kill processes and stop storage; run them one at a time, so that one's faults never land on another
// and timings mean the same on a loaded 2-core machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace SurveyBackend.Tests.System;

/// <summary>One Azurite and one local host process, with the test survey loaded, for the scenarios that break nothing.</summary>
public sealed class SystemStack : IAsyncLifetime
{
    public AzuriteServer Azurite { get; private set; } = null!;
    public LocalHostProcess Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteServer.StartNewAsync();
        Host = await LocalHostProcess.StartNewAsync(Azurite);
        await Host.PutSurveyAsync(TestSurvey.Id, TestSurvey.Json());
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SystemCollection : ICollectionFixture<SystemStack>
{
    public const string Name = "system";
}
