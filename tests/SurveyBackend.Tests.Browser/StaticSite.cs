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
    private readonly ConcurrentDictionary<string, (string Body, string Csp, string ContentType)> _pages = new(StringComparer.Ordinal);

    private StaticSite(WebApplication app, string address, int port)
    {
        _app = app;
        Origin = $"http://{address}:{port}";
    }

    public string Origin { get; }

    /// <param name="address">
    /// A loopback address: 127.0.0.1 is the backend's own site (another port is only another origin); 127.0.0.2 is
    /// another site altogether, as a browser judges it (the site of an IP address is the address; ports do not count).
    /// </param>
    public static async Task<StaticSite> StartAsync(string address = "127.0.0.1")
    {
        var port = Testing.FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{address}:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var site = new StaticSite(app, address, port);
        app.Run(context =>
        {
            if (!site._pages.TryGetValue(context.Request.Path.Value ?? "", out var page))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            context.Response.ContentType = page.ContentType + "; charset=utf-8";
            context.Response.Headers.ContentSecurityPolicy = page.Csp;
            return context.Response.WriteAsync(page.Body);
        });
        await app.StartAsync();
        return site;
    }

    /// <summary>Puts a page (or a script) at <paramref name="path"/> and returns its URL.</summary>
    public string Serve(string path, string body, string csp, string contentType = "text/html")
    {
        _pages[path] = (body, csp, contentType);
        return Origin + path;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
