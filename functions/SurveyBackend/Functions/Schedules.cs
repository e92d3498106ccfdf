using SurveyBackend.Intake;

namespace SurveyBackend.Functions;

/// <summary>
/// The timers' NCRONTAB expressions, as <c>%Setting%</c> references the host resolves from app settings. The app's
/// functions and the local host's WebJobs adapters both take them from here.
/// </summary>
internal static class Schedules
{
    public const string IntakeSweep = "%" + IntakeWiring.SweepScheduleSetting + "%";
    public const string TombstonePurge = "%" + IntakeWiring.TombstonePurgeScheduleSetting + "%";
    public const string ChallengePurge = "%" + ProofOfWork.ProofOfWorkWiring.PurgeScheduleSetting + "%";
    public const string RecipientFlush = "%RecipientFlushSchedule%";
    public const string ReportEmail = "%ReportEmailSchedule%";
}
