using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SurveyBackend.Journey;
using SurveyBackend.Languages;
using SurveyBackend.Storage;
using SurveyBackend.Validation;
using SurveyBackend.Web;

namespace SurveyBackend.Surveys;

/// <summary>
/// A definition as the public sees it, serialised once per language it offers, with its ETag, and when it was last
/// saved (null before saves were dated). <see cref="PublicJson"/> and <see cref="ETag"/> are the English view.
/// </summary>
public sealed record PublishedSurvey(SurveyDefinition Definition, string PublicJson, string ETag, DateTimeOffset? SavedAt = null)
{
    public IReadOnlyDictionary<string, PublicView> Views { get; init; } = new Dictionary<string, PublicView>(StringComparer.Ordinal);

    /// <summary>The public view in <paramref name="language"/>, or English when the survey does not offer it.</summary>
    public PublicView In(string language) => Views.TryGetValue(language, out var view) ? view : new PublicView(UiText.English, PublicJson, ETag);
}

public sealed record PublicView(string Language, string Json, string ETag);

public enum SaveOutcome
{
    Created,
    Updated,
    Invalid,
    StructureLocked,
    /// <summary>The survey has responses and the definition lowers its minGroupSize (<see cref="SaveResult.KeptMinGroupSize"/> stays).</summary>
    ThresholdLowered,
    /// <summary>The survey has responses and the definition changes how its journey scores (<see cref="SaveResult.Reason"/> says how).</summary>
    JourneyLocked,
}

public sealed record SaveResult(SaveOutcome Outcome, PublishedSurvey? Survey = null, ValidationErrors? Errors = null, int? KeptMinGroupSize = null)
{
    /// <summary>Why the save was refused, for a <see cref="SaveOutcome.JourneyLocked"/>.</summary>
    public string? Reason { get; init; }
}

/// <summary>
/// Reads and writes survey definitions, cached per instance for <see cref="CacheFor"/> because every submission needs
/// one (a save is seen at once here). Unknown ids are remembered as long, at most <see cref="MaxUnknownIds"/>, so
/// random ids can neither grow memory nor repeat a storage read within the interval.
/// </summary>
public sealed class SurveyCatalog(SurveyStore store, SubmissionStore submissions, ResponseStore responses, TimeProvider clock)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(15);
    public const int MaxUnknownIds = 1_024;

    // Only surveys that exist: as many as admins have saved.
    private readonly ConcurrentDictionary<string, (PublishedSurvey Survey, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);
    private readonly UnknownSurveyIds _unknown = new(MaxUnknownIds, CacheFor, clock);

    /// <summary>How many ids this instance remembers as naming no survey.</summary>
    public int UnknownIdsHeld => _unknown.Count;

    /// <summary>The survey, draft or not; null when there is none (or the id cannot be a survey id).</summary>
    public async Task<PublishedSurvey?> FindAsync(string surveyId, CancellationToken cancellationToken)
    {
        if (!SurveyRules.IsValidSurveyId(surveyId)) return null;

        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(surveyId, out var cached) && cached.Expires > now) return cached.Survey;
        if (_unknown.Contains(surveyId)) return null;

        var stored = await store.FindAsync(surveyId, cancellationToken);
        if (stored is null)
        {
            _unknown.Add(surveyId);
            return null;
        }
        var survey = Publish(Read(stored), stored.SavedAt);
        _cache[surveyId] = (survey, now + CacheFor);
        return survey;
    }

    /// <summary>The survey if the public may see it: it exists and is not a draft.</summary>
    public async Task<PublishedSurvey?> FindPublicAsync(string surveyId, CancellationToken cancellationToken) =>
        await FindAsync(surveyId, cancellationToken) is { Definition.Status: not SurveyStatus.Draft } survey ? survey : null;

    public async Task<SaveResult> SaveAsync(string surveyId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var parsed = SurveyRules.Parse(body.Span, surveyId);
        if (!parsed.IsValid) return new SaveResult(SaveOutcome.Invalid, Errors: parsed.Errors);
        var definition = parsed.Value!;
        var waveErrors = await PreviousWaveRules.CheckAsync(definition, async (id, ct) => (await FindAsync(id, ct))?.Definition, cancellationToken);
        if (!waveErrors.IsEmpty) return new SaveResult(SaveOutcome.Invalid, Errors: waveErrors);

        var existing = await store.FindAsync(surveyId, cancellationToken) is { } stored ? Read(stored) : null;
        // Once there are responses the structure is fixed, and the threshold may only go up: a release made under the
        // lower one could publish figures that earlier releases hid, or differences between them.
        if (existing is not null && !SurveyStructure.SameStructure(existing, definition) && await HasResponsesAsync(surveyId, cancellationToken))
            return new SaveResult(SaveOutcome.StructureLocked);
        if (existing is not null && definition.MinGroupSize < existing.MinGroupSize && await HasResponsesAsync(surveyId, cancellationToken))
            return new SaveResult(SaveOutcome.ThresholdLowered, KeptMinGroupSize: existing.MinGroupSize);
        if (existing is not null && JourneyLock.LockedChange(existing, definition) is { } reason && await HasResponsesAsync(surveyId, cancellationToken))
            return new SaveResult(SaveOutcome.JourneyLocked) { Reason = reason };

        var now = clock.GetUtcNow();
        var created = await store.SaveAsync(surveyId, JsonSerializer.Serialize(definition, JsonDefaults.Options), now, cancellationToken);
        var survey = Publish(definition, now);
        _cache[surveyId] = (survey, clock.GetUtcNow() + CacheFor);
        _unknown.Remove(surveyId);
        return new SaveResult(created ? SaveOutcome.Created : SaveOutcome.Updated, survey);
    }

    /// <summary>Every survey's id (one query; the sweeper and the tombstone purge walk them).</summary>
    public Task<List<string>> ListIdsAsync(CancellationToken cancellationToken) => store.ListIdsAsync(cancellationToken);

    /// <summary>Whether any submission, raw or anonymised, exists for the survey.</summary>
    private async Task<bool> HasResponsesAsync(string surveyId, CancellationToken cancellationToken) =>
        await submissions.AnyAsync(surveyId, cancellationToken) || await responses.AnyAsync(surveyId, cancellationToken);

    private static SurveyDefinition Read(StoredSurvey stored) =>
        JsonSerializer.Deserialize<SurveyDefinition>(stored.Json, JsonDefaults.Options)
        ?? throw new InvalidOperationException("A stored survey definition is empty.");

    private static PublishedSurvey Publish(SurveyDefinition definition, DateTimeOffset? savedAt)
    {
        var views = definition.Languages.ToDictionary(l => l, l =>
        {
            var json = JsonSerializer.Serialize(PublicSurvey.From(definition, l), JsonDefaults.Options);
            return new PublicView(l, json, "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)).AsSpan(0, 12)) + "\"");
        }, StringComparer.Ordinal);
        var english = views[UiText.English];
        return new PublishedSurvey(definition, english.Json, english.ETag, savedAt) { Views = views };
    }
}

/// <summary>
/// What the form sees: the definition without the fields only admins and the pipeline need. The reporting groups are
/// public (every report names them): the thank-you's comparison maps a respondent's own option to its group with them.
/// The privacy notice's controller and contact are public, as is the journey (the browser works out the stage).
/// </summary>
public sealed record PublicSurvey(
    string Id, string Title, string? Description, SurveyStatus Status,
    DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt, IReadOnlyList<Question> Questions,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyDictionary<string, IReadOnlyList<ReportingGroup>>? ReportingGroups = null,
    string Lang = UiText.English, IReadOnlyList<string>? Languages = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    SurveyPrivacy? Privacy = null)
{
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public JourneyModel? Journey { get; init; }

    /// <summary>The texts in one language (<c>lang</c>), and every language the survey offers (<c>languages</c>).</summary>
    public static PublicSurvey From(SurveyDefinition definition, string language = UiText.English)
    {
        var d = definition.In(language);
        return new(d.Id, d.Title, d.Description, d.Status, d.OpensAt, d.ClosesAt, d.Questions, d.ReportingGroups,
            definition.Offers(language) ? language : UiText.English, definition.Languages, definition.Privacy) { Journey = d.Journey };
    }
}

/// <summary>
/// Once responses exist, question ids, types, option ids, "Other", the segments and the reporting groups are fixed,
/// because counted answers refer to them, and because two releases grouped differently could be subtracted from one
/// another (a group minus the options it merges); wording, required marks, order marks and limits may change.
/// </summary>
public static class SurveyStructure
{
    public static bool SameStructure(SurveyDefinition a, SurveyDefinition b) =>
        Shape(a).SequenceEqual(Shape(b), StringComparer.Ordinal);

    private static IEnumerable<string> Shape(SurveyDefinition d) =>
        d.Questions.Select(q => $"{q.Id}|{q.Type}|{q.AllowOther}|{string.Join(',', q.Options.Select(o => o.Id))}")
            .Concat(d.Segments.Select(s => "segment:" + s))
            .Concat((d.ReportingGroups ?? new Dictionary<string, IReadOnlyList<ReportingGroup>>()).OrderBy(g => g.Key, StringComparer.Ordinal)
                .SelectMany(g => g.Value.Select(group => $"group:{g.Key}|{group.Id}|{string.Join(',', group.Options)}")));
}
