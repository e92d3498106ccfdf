namespace SurveyBackend.Functions;

/// <summary>
/// The statuses an HTTP function answers, besides 500 (any function, <see cref="UnhandledErrors"/>) and 401 (an admin
/// function without its key). The contract test fails if docs/openapi.json lacks one, or if a function has none.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class AnswersAttribute(params int[] statuses) : Attribute
{
    public IReadOnlyList<int> Statuses { get; } = statuses;
}
