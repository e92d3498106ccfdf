using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SurveyBackend.Testing;

/// <summary>
/// A stand-in for SendGrid's v3 API on a loopback port (Kestrel): records every request it is sent, and answers
/// 202 unless a test has queued other answers (429 with Retry-After, 500, 400, a slow answer). Point the app at
/// it with <c>SendGrid__Host</c> = <see cref="Host"/>.
/// <para>
/// Like SendGrid, it refuses a whole request for one address it will not take, and sends nothing of it: a 400 whose
/// <c>errors[]</c> name the field <c>personalizations.N.to.0.email</c> of each such address (one with no <c>@</c>, or
/// one a test marked with <see cref="Refuse"/>), plus one error with no field for an address a test marked
/// <see cref="Refuse"/> with <c>named: false</c> (SendGrid sometimes names nothing). The body shape is SendGrid's
/// (its "Mail Send errors" page): <c>{"errors":[{"message","field","help"}]}</c>.
/// </para>
/// </summary>
public sealed class FakeSendGridServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ScriptedResponse> _script = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly ConcurrentDictionary<string, bool> _refused = new(StringComparer.OrdinalIgnoreCase);

    private FakeSendGridServer(WebApplication app) => _app = app;

    /// <summary>One request as received, with the status it was answered.</summary>
    public sealed record RecordedRequest(string Method, string Path, string? Authorization, string Body, int Status, DateTimeOffset At)
    {
        public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

        public string? ReportId => (string?)Json["custom_args"]?["reportId"];

        public IReadOnlyList<JsonObject> Personalizations => [.. Json["personalizations"]!.AsArray().Select(p => p!.AsObject())];

        /// <summary>Every "to" address of every personalization.</summary>
        public IReadOnlyList<string> Recipients => [.. Personalizations.SelectMany(p => p["to"]!.AsArray().Select(t => (string)t!["email"]!))];
    }

    /// <summary>An answer to give to the next request.</summary>
    public sealed record ScriptedResponse(int Status, IReadOnlyDictionary<string, string>? Headers = null, string? Body = null, TimeSpan? Delay = null);

    public string Host { get; private set; } = "";

    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (_requests) return [.. _requests]; }
    }

    /// <summary>Requests it answered 2xx, for one report (the app sends the report id as a custom arg).</summary>
    public IReadOnlyList<RecordedRequest> Accepted(string reportId) =>
        [.. Requests.Where(r => r.Status is >= 200 and < 300 && r.ReportId == reportId)];

    /// <summary>Every address of every request it accepted (2xx) for one report: what people received.</summary>
    public IReadOnlyList<string> Delivered(string reportId) => [.. Accepted(reportId).SelectMany(r => r.Recipients)];

    /// <summary>From now on, refuse any request that holds <paramref name="email"/>, naming its field or (<paramref name="named"/> false) not.</summary>
    public void Refuse(string email, bool named = true) => _refused[email] = named;

    public void Enqueue(params ScriptedResponse[] responses)
    {
        foreach (var response in responses) _script.Enqueue(response);
    }

    public void Reset()
    {
        _script.Clear();
        _refused.Clear();
        lock (_requests) _requests.Clear();
    }

    public static async Task<FakeSendGridServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeSendGridServer(app);
        app.MapPost("/v3/mail/send", server.HandleAsync);
        await app.StartAsync();
        server.Host = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var answer = _script.TryDequeue(out var scripted) ? scripted : Validate(body);
        lock (_requests)
        {
            _requests.Add(new RecordedRequest(context.Request.Method, context.Request.Path, context.Request.Headers.Authorization.FirstOrDefault(),
                body, answer.Status, DateTimeOffset.UtcNow));
        }
        if (answer.Delay is { } delay) await Task.Delay(delay, context.RequestAborted);

        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>()) context.Response.Headers[name] = value;
        if (answer.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Body, context.RequestAborted);
        }
    }

    /// <summary>202, or SendGrid's 400 when the request holds an address it will not take.</summary>
    private ScriptedResponse Validate(string body)
    {
        JsonArray? personalizations;
        try
        {
            personalizations = JsonNode.Parse(body)?["personalizations"]?.AsArray();
        }
        catch (System.Text.Json.JsonException)
        {
            return new ScriptedResponse(400, Body: """{"errors":[{"message":"Bad Request","field":null,"help":null}]}""");
        }
        var errors = new JsonArray();
        var unnamed = false;
        for (var i = 0; i < (personalizations?.Count ?? 0); i++)
        {
            var to = personalizations![i]?["to"]?.AsArray() ?? [];
            for (var j = 0; j < to.Count; j++)
            {
                var email = (string?)to[j]?["email"] ?? "";
                var named = !email.Contains('@', StringComparison.Ordinal) || _refused.TryGetValue(email, out var isNamed) && isNamed;
                if (named)
                {
                    errors.Add(new JsonObject
                    {
                        ["message"] = "Does not contain a valid address.",
                        ["field"] = $"personalizations.{i}.to.{j}.email",
                        ["help"] = "http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message.personalizations.to",
                    });
                }
                else if (_refused.ContainsKey(email)) unnamed = true;
            }
        }
        if (unnamed) errors.Add(new JsonObject { ["message"] = "The request could not be processed.", ["field"] = null, ["help"] = null });
        return errors.Count == 0 ? new ScriptedResponse(202) : new ScriptedResponse(400, Body: new JsonObject { ["errors"] = errors }.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
