namespace SurveyBackend.Storage;

/// <summary>
/// On the <c>submissions</c> queue: a reference to an accepted submission, never its answers or contacts.
/// The anonymiser derives the raw row's key from these with the app's secret.
/// </summary>
public sealed record SubmissionMessage(string SurveyId, string SubmissionId);
