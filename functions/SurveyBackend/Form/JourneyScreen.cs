using System.Globalization;
using SurveyBackend.Aggregation;
using SurveyBackend.Display;
using SurveyBackend.Journey;
using SurveyBackend.Languages;
using SurveyBackend.Surveys;

namespace SurveyBackend.Form;

/// <summary>The journey screen's words (<c>journey.*</c>), for the server's page and, baked into form.js, for journey-screen.js.</summary>
public static class JourneyScreenText
{
    public static string Get(string key, UiText text) => text["journey." + key];

    public static string OutOf(int score, UiText text) =>
        Get("outOf", text).Replace("{score}", score.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    public static string PeersIntro(int release, DateTimeOffset createdAt, UiText text) =>
        Get("peersIntro", text).Replace("{release}", release.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{date}", DisplayText.Date(createdAt, text), StringComparison.Ordinal);

    /// <summary>The words journey-screen.js needs, by their short names, with the shared ones (hidden, footnote, months).</summary>
    public static IReadOnlyDictionary<string, string> ForScript(UiText text) =>
        text.WithPrefix("journey.").ToDictionary(p => p.Key["journey.".Length..], p => p.Value, StringComparer.Ordinal)
            .Append(new KeyValuePair<string, string>("hidden", DisplayText.Hidden))
            .Append(new KeyValuePair<string, string>("footnote", DisplayText.Footnote(text)))
            .Append(new KeyValuePair<string, string>("private", text["compare.private"]))
            .Append(new KeyValuePair<string, string>("months", text["date.months"]))
            .ToDictionary(StringComparer.Ordinal);
}

/// <summary>Why the peers' figures are not shown: there is no public release, it does not count stages, or it could not be read.</summary>
public enum PeersMissing { None, NoRelease, NotCounted, Failed }

/// <summary>A stage of the peers' table: its name, whether it is the respondent's, and a share per column ("–" when hidden).</summary>
public sealed record JourneyPeerRow(string StageId, string Name, bool Yours, IReadOnlyList<string> Cells);

public sealed record JourneyPeers(int Release, DateTimeOffset CreatedAt, IReadOnlyList<string> Columns, IReadOnlyList<JourneyPeerRow> Rows)
{
    public bool HasHidden => Rows.Any(r => r.Cells.Contains(DisplayText.Hidden));
}

/// <summary>What the journey screen shows: the model's title, the respondent's result, and the peers (or why there are none).</summary>
public sealed record JourneyFigures(string Title, JourneyResult Result, JourneyPeers? Peers, PeersMissing Missing);

/// <summary>
/// Where the respondent stands and where their peers are (docs/journey.md): the share of their own group of the release's
/// first segment question and of everyone at each stage, from <see cref="StageQuestion.Id"/>. journey-screen.js does the same.
/// </summary>
public static class JourneyScreen
{
    /// <param name="survey">The definition in the respondent's language (<see cref="SurveyDefinition.In"/>).</param>
    /// <param name="results">The latest public release's results; null with <paramref name="missing"/> saying why.</param>
    public static JourneyFigures? Build(
        SurveyDefinition survey, IReadOnlyDictionary<string, IReadOnlyList<string>> answers, int release, DateTimeOffset createdAt,
        SurveyResults? results, PeersMissing missing, UiText text)
    {
        if (survey.Journey is not { } journey || JourneyScore.Of(survey, answers) is not { } result) return null;
        if (results is null) return new JourneyFigures(journey.Title, result, null, missing == PeersMissing.None ? PeersMissing.NoRelease : missing);
        var everyone = results.Stages;
        if (everyone is null) return new JourneyFigures(journey.Title, result, null, PeersMissing.NotCounted);

        var columns = new List<string>();
        var scopes = new List<QuestionResult?>();
        if (results.Segments.FirstOrDefault()?.QuestionId is { } segmentId && answers.TryGetValue(segmentId, out var own) && own.Count > 0)
        {
            var groupId = HowYouCompare.Reported(survey, segmentId, own[0]);
            var segment = results.Segments.FirstOrDefault(s => s.QuestionId == segmentId && s.OptionId == groupId);
            columns.Add(new SurveyWords(ReportingView.Of(survey).Definition, text).Option(segmentId, groupId));
            scopes.Add(segment is null || segment.Suppressed ? null : segment.Questions?.FirstOrDefault(q => q.Id == StageQuestion.Id));
        }
        columns.Add(JourneyScreenText.Get("everyone", text));
        scopes.Add(everyone);

        var rows = journey.Stages.Select(stage => new JourneyPeerRow(stage.Id, stage.Name, stage.Id == result.Stage.Id,
            [.. scopes.Select(q => Share(q, stage.Id))])).ToList();
        return new JourneyFigures(journey.Title, result, new JourneyPeers(release, createdAt, columns, rows), PeersMissing.None);
    }

    private static string Share(QuestionResult? question, string stageId) =>
        question?.Options.FirstOrDefault(o => o.Id == stageId) is { } option ? DisplayText.Share(WaveChanges.ShownShare(question, option)) : DisplayText.Hidden;
}
