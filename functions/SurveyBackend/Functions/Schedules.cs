using SurveyBackend.Intake;
using SurveyBackend.Mailing;

namespace SurveyBackend.Functions;

/// <summary>
/// The timers' NCRONTAB expressions, as <c>%Setting%</c> references the host resolves from app settings. The app's
/// functions and the local host's WebJobs adapters both take them from here.
/// </summary>
internal static class Schedules
{
    /// <summary>The NCRONTAB setting the recipients flush's timer reads (<c>%RecipientFlushSchedule%</c>).</summary>
    public const string RecipientFlushSetting = "RecipientFlushSchedule";

    public const string IntakeSweep = "%" + IntakeWiring.SweepScheduleSetting + "%";
    public const string TombstonePurge = "%" + IntakeWiring.TombstonePurgeScheduleSetting + "%";
    public const string ChallengePurge = "%" + ProofOfWork.ProofOfWorkWiring.PurgeScheduleSetting + "%";
    public const string RecipientFlush = "%" + RecipientFlushSetting + "%";
    public const string ReportEmail = "%" + MailingWiring.ReportEmailScheduleSetting + "%";
}
