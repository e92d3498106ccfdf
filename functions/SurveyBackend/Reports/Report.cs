using System.Text.Json;
using SurveyBackend.Aggregation;
using SurveyBackend.Display;
using SurveyBackend.Languages;
using SurveyBackend.Storage;
using SurveyBackend.Surveys;
using SurveyBackend.Validation;
using SurveyBackend.Web;

namespace SurveyBackend.Reports;

/// <summary>
/// What a report shows, frozen at publication (one release's figures and the wording of the moment) so later responses
/// or edits never change it, and the page stays one point read. <see cref="Previous"/>: the previous wave, frozen the
/// same way, or null (docs/trends.md).
/// </summary>
public sealed record ReportSnapshot(SurveyResults Results, SurveyDefinition Survey, int Release, DateTimeOffset ReleasedAt, Releases.PreviousWave? Previous = null)
{
    /// <summary>Each question against the previous wave; null when there is no previous wave's release to compare with.</summary>
    public IReadOnlyList<QuestionTrend>? Trends() =>
        Previous is null ? null : WaveChanges.Compare(Survey, Results, Previous.Survey, Previous.Results);
}

/// <summary>The publisher's own words of a report in one language.</summary>
public sealed record ReportTexts(string Title, string Summary);

/// <summary>
/// A published report: <see cref="Title"/> and <see cref="Summary"/> in English, the other languages in
/// <see cref="Translations"/>. Only words change with the language, never the figures (docs/languages.md).
/// </summary>
public sealed record Report(
    string Id,
    string SurveyId,
    string Title,
    string Summary,
    DateTimeOffset PublishAt,
    string? ReportUrl,
    DateTimeOffset PublishedAt,
    ReportSnapshot Snapshot,
    IReadOnlyDictionary<string, ReportTexts>? Translations = null)
{
    /// <summary>The survey's final report: its addresses are deleted a set time after it has been mailed (see the mailing docs).</summary>
    public bool Final { get; init; }

    /// <summary>The language this copy reads in (see <see cref="In"/>).</summary>
    public string Language { get; init; } = UiText.English;

    /// <summary>The survey's texts in <see cref="Language"/>, for question, option and group names.</summary>
    public SurveyDefinition Wording { get => field ?? Snapshot.Survey; init; }

    /// <summary>The service's own words in <see cref="Language"/>.</summary>
    public UiText Text => UiText.For(Language);

    /// <summary>How the survey's questions and answers read in <see cref="Language"/>.</summary>
    public SurveyWords Words => new(Wording, Text);

    /// <summary>
    /// The languages the report can be read in: English, and each other language the survey declares and the
    /// publisher wrote the title and summary in (never a page with English words of the publisher on it).
    /// </summary>
    public IReadOnlyList<string> Languages =>
        [UiText.English, .. Snapshot.Survey.Languages.Where(l => l != UiText.English && Translations?.ContainsKey(l) == true)];

    /// <summary>
    /// The report read in <paramref name="language"/> (English when it cannot be read in that one): the publisher's
    /// <see cref="Title"/> and <see cref="Summary"/> and the survey's <see cref="Wording"/> swapped. Only the report as
    /// stored (English) is read in another language, and only that one is stored.
    /// </summary>
    public Report In(string language)
    {
        if (Language != UiText.English) throw new InvalidOperationException("Only the report as stored can be read in another language.");
        return language == UiText.English || !Languages.Contains(language) || Translations?.GetValueOrDefault(language) is not { } texts
            ? this
            : this with { Language = language, Title = texts.Title, Summary = texts.Summary, Wording = Snapshot.Survey.In(language) };
    }

    public bool IsPublic(DateTimeOffset now) => now >= PublishAt;

    public StoredReport ToStored() => Language != UiText.English
        ? throw new InvalidOperationException("A report read in another language is not stored.")
        : new(Id, SurveyId, Title, Summary, PublishAt, ReportUrl, PublishedAt, JsonSerializer.Serialize(Snapshot, JsonDefaults.Options),
            Translations is { Count: > 0 } ? JsonSerializer.Serialize(Translations, JsonDefaults.Options) : null, Final);

    public static Report FromStored(StoredReport stored) =>
        new(stored.ReportId, stored.SurveyId, stored.Title, stored.Summary, stored.PublishAt, stored.ReportUrl, stored.PublishedAt,
            JsonSerializer.Deserialize<ReportSnapshot>(stored.SnapshotJson, JsonDefaults.Options)
                ?? throw new InvalidOperationException("A stored report has no snapshot."),
            stored.TranslationsJson is null ? null : JsonSerializer.Deserialize<Dictionary<string, ReportTexts>>(stored.TranslationsJson, JsonDefaults.Options))
        {
            Final = stored.Final,
        };

    /// <summary>A well-formed id: 1–64 base64url characters, safe as a table key (<see cref="NewId"/> makes 22: 16 random bytes, unguessable before publication).</summary>
    public static bool IsValidId(string? id) =>
        id is { Length: > 0 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static string NewId() =>
        Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// The body of <c>POST /api/admin/surveys/{surveyId}/reports</c>. <see cref="Release"/>: the release to show; none
/// makes a new one. <see cref="Title"/> and <see cref="Summary"/> are English; <see cref="Translations"/> the other
/// languages given (<c>"title": {"en": …, "cy": …}</c>, the same text-or-object shape as a definition's texts).
/// </summary>
public sealed record PublishRequest(string Title, string Summary, DateTimeOffset PublishAt, string? ReportUrl, int? Release = null,
    IReadOnlyDictionary<string, ReportTexts>? Translations = null)
{
    /// <summary><c>"final": true</c>: the survey's last report (its addresses are deleted a set time after it is mailed).</summary>
    public bool Final { get; init; }

    public const int MaxTitleLength = 200;
    public const int MaxSummaryLength = 20_000;

    /// <summary>
    /// Reads the body (<see cref="JsonBody"/>) and checks it, naming the field path of every fault: the reading's, then
    /// the rules' at paths the reading found no fault at.
    /// </summary>
    public static Validated<PublishRequest> Parse(ReadOnlySpan<byte> body)
    {
        var read = JsonBody.Read(body.ToArray(), UiText.For(UiText.English), PublishDocument.Read);
        return read.IsValid ? Check(read.Value!.Value, read.Value.Faults) : Validated<PublishRequest>.Fail(read.Errors);
    }

    private static Validated<PublishRequest> Check(PublishDocument doc, ValidationErrors faults)
    {
        var errors = new ValidationErrors();
        var titles = Texts("title", doc.Title, errors, (path, text) =>
        {
            if (text.Trim().Length == 0) errors.Add(path, "A title is required.");
            else if (text.Trim().Length > MaxTitleLength) errors.Add(path, $"The title must be at most {MaxTitleLength} characters.");
        });
        var summaries = Texts("summary", doc.Summary, errors, (path, text) =>
        {
            if (text.Length > MaxSummaryLength) errors.Add(path, $"The summary must be at most {MaxSummaryLength} characters.");
        });
        // A language is given for both or neither: a report is read in a language only with the publisher's words in it.
        foreach (var language in titles.Keys.Except(summaries.Keys)) if (summaries.Count > 0) errors.Add("summary." + language, $"The summary is missing in '{language}', given for the title.");
        foreach (var language in summaries.Keys.Except(titles.Keys)) if (titles.Count > 0) errors.Add("title." + language, $"The title is missing in '{language}', given for the summary.");
        var translations = titles.Keys.Where(l => l != UiText.English && summaries.ContainsKey(l))
            .ToDictionary(l => l, l => new ReportTexts(titles[l].Trim(), summaries[l]), StringComparer.Ordinal);

        if (doc.PublishAt is null) errors.Add("publishAt", "This field is required.");
        var reportUrl = doc.ReportUrl is { Length: 0 } ? null : doc.ReportUrl;
        if (reportUrl is not null && !(Uri.TryCreate(reportUrl, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && reportUrl.Length <= 2000))
            errors.Add("reportUrl", "The report URL must be an absolute https URL.");
        if (doc.Release is < 1) errors.Add("release", "The release must be a whole number from 1 (or left out to make a new release).");

        errors = ValidationErrors.Combine(faults, errors);
        return errors.IsEmpty
            ? Validated<PublishRequest>.Ok(new PublishRequest(titles[UiText.English].Trim(), summaries[UiText.English], doc.PublishAt!.Value.ToUniversalTime(),
                reportUrl, doc.Release, translations.Count > 0 ? translations : null) { Final = doc.Final ?? false })
            : Validated<PublishRequest>.Fail(errors);
    }

    /// <summary>
    /// A publisher's text by language, English required, each checked by <paramref name="check"/> at its path (<c>title</c>
    /// for a plain string, else <c>title.cy</c>).
    /// </summary>
    private static Dictionary<string, string> Texts(string name, LocalizedText? text, ValidationErrors errors, Action<string, string> check)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        if (text is null)
        {
            errors.Add(name, "This field is required.");
            return texts;
        }
        if (text.English is { } english) texts[UiText.English] = english;
        else errors.Add(name + "." + UiText.English, "The English text is required.");
        foreach (var (language, value) in text.ByLanguage) texts[language] = value;
        foreach (var (language, value) in texts) check(text.IsPlain ? name : name + "." + language, value);
        return texts;
    }
}

/// <summary>The publish body as written, read by <see cref="JsonBody"/>; what it means is for <see cref="PublishRequest"/>.</summary>
internal sealed record PublishDocument(LocalizedText? Title, LocalizedText? Summary, DateTimeOffset? PublishAt, string? ReportUrl, int? Release, bool? Final)
{
    public static PublishDocument Read(JsonObjectReader root)
    {
        var f = root.Fields("title", "summary", "publishAt", "reportUrl", "release", "final");
        return new(f["title"].LocalizedText(), f["summary"].LocalizedText(), f["publishAt"].Date(), f["reportUrl"].String(), f["release"].Int(), f["final"].Bool());
    }
}
