using SurveyBackend.Testing;

namespace SurveyBackend.Tests.Integration;

/// <summary>Tests in this collection share one Azurite and one local host (started once: both take seconds).</summary>
[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}
