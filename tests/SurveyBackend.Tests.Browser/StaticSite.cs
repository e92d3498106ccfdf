using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SurveyBackend.Tests.Browser;

/// <summary>
/// A stand-in for the community site on its own origin (a loopback Kestrel): tests put pages on it with the
/// CSP they want. A real listener rather than a Playwright route, because Chromium treats a routed page as a
/// public origin and then refuses its requests to the loopback backend (Local Network Access).
/// </summary>
public sealed class StaticSite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (string Html, string Csp)> _pages = new(StringComparer.Ordinal);

    private StaticSite(WebApplication app, int port)
    {
        _app = app;
        Origin = $"http://127.0.0.1:{port}";
    }

    public string Origin { get; }

    public static async Task<StaticSite> StartAsync()
    {
        var port = Testing.FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var site = new StaticSite(app, port);
        app.Run(context =>
        {
            if (!site._pages.TryGetValue(context.Request.Path.Value ?? "", out var page))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.Headers.ContentSecurityPolicy = page.Csp;
            return context.Response.WriteAsync(page.Html);
        });
        await app.StartAsync();
        return site;
    }

    /// <summary>Puts a page at <paramref name="path"/> and returns its URL.</summary>
    public string Serve(string path, string html, string csp)
    {
        _pages[path] = (html, csp);
        return Origin + path;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
