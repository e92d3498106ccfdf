using Microsoft.Extensions.Options;
using SurveyBackend.Anonymity;
using SurveyBackend.Surveys;

namespace SurveyBackend.Mailing;

/// <summary>Whether a survey can still gain report recipients: a mailing is complete only once none can arrive.</summary>
public sealed class RecipientArrivals(SurveyCatalog catalog, IOptions<AnonymityOptions> anonymity)
{
    /// <summary>The survey may still take submissions, or took one recently enough for its recipient to be on its way.</summary>
    public async Task<bool> MoreMayArriveAsync(string surveyId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var survey = await catalog.FindAsync(surveyId, cancellationToken);
        return survey is not null
            && (survey.Definition.IsTakingSubmissions(now) || survey.Definition.IsTakingSubmissions(now - RecipientFlusher.LongestLag(anonymity.Value)));
    }
}
