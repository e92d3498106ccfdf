namespace SurveyBackend.Anonymity;

/// <summary>
/// A seam between the anonymiser's steps. It does nothing in the app; tests replace it with one that throws at a
/// chosen step to prove that a crash there, followed by redelivery, loses and double-counts nothing.
/// </summary>
public interface IPipelineFaults
{
    void Check(string step);
}

public static class PipelineSteps
{
    /// <summary>The response is stored and counted (one transaction: the response is its own counting marker).</summary>
    public const string Counted = "counted";
    /// <summary>
    /// The pending row is deleted, and the sealed address kept, in one transaction: the key row left behind is the
    /// tombstone. (There is no step between the two to crash at.)
    /// </summary>
    public const string Tombstoned = "tombstoned";

    public static IReadOnlyList<string> All { get; } = [Counted, Tombstoned];
}

internal sealed class NoPipelineFaults : IPipelineFaults
{
    public void Check(string step)
    {
    }
}
