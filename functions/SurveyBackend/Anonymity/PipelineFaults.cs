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
    public const string ResponseWritten = "response-written";
    public const string Counted = "counted";
    public const string RecipientPending = "recipient-pending";
    public const string Tombstoned = "tombstoned";

    public static IReadOnlyList<string> All { get; } = [ResponseWritten, Counted, RecipientPending, Tombstoned];
}

internal sealed class NoPipelineFaults : IPipelineFaults
{
    public void Check(string step)
    {
    }
}
