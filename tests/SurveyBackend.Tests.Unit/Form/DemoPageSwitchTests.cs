using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SurveyBackend.Form;

namespace SurveyBackend.Tests.Unit.Form;

/// <summary>The demo host page is served only when DemoPage:Enabled turns it on.</summary>
public sealed class DemoPageSwitchTests
{
    private static ServiceProvider Build(string? enabled)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["Anonymity:Secret"] = "a-test-secret-that-is-at-least-32-characters-long",
            ["Email:From"] = "reports@example.org",
            ["Report:PublicBaseUrl"] = "https://reports.example.org",
        };
        if (enabled is not null) settings["DemoPage:Enabled"] = enabled;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddSurveyBackend(configuration).BuildServiceProvider();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("false")]
    public void Demo_WhenOff_Answers404ProblemJson(string? enabled)
    {
        using var provider = Build(enabled);

        var result = provider.GetRequiredService<FormEndpoints>().GetDemo(new DefaultHttpContext().Request);

        var problem = Assert.IsType<ObjectResult>(result);
        Assert.Equal(StatusCodes.Status404NotFound, problem.StatusCode);
        Assert.Contains("application/problem+json", problem.ContentTypes);
        Assert.Equal("urn:survey-backend:problem:not-found", Assert.IsType<ProblemDetails>(problem.Value).Type);
    }

    [Fact]
    public void Demo_WhenOn_ServesTheHostPage()
    {
        using var provider = Build("true");
        var context = new DefaultHttpContext();

        var result = provider.GetRequiredService<FormEndpoints>().GetDemo(context.Request);

        var page = Assert.IsType<ContentResult>(result);
        Assert.Equal(StatusCodes.Status200OK, page.StatusCode);
        Assert.Contains("data-survey=", page.Content, StringComparison.Ordinal);
        Assert.Contains("<noscript><iframe src=\"surveys/", page.Content, StringComparison.Ordinal);
        var policy = context.Response.Headers.ContentSecurityPolicy.ToString();
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        // The host page needs to load the script and frame the form, nothing more: it never talks to the API.
        Assert.Contains("frame-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("connect-src", policy, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_WithAValueThatIsNotABoolean_FailsAtStart()
    {
        using var provider = Build("yes please");

        Assert.ThrowsAny<InvalidOperationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
    }
}
