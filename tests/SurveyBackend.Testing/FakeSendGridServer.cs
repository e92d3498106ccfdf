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
/// </summary>
public sealed class FakeSendGridServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ScriptedResponse> _script = new();
    private readonly List<RecordedRequest> _requests = [];

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

    public void Enqueue(params ScriptedResponse[] responses)
    {
        foreach (var response in responses) _script.Enqueue(response);
    }

    public void Reset()
    {
        _script.Clear();
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
        var answer = _script.TryDequeue(out var scripted) ? scripted : new ScriptedResponse(202);
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

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
