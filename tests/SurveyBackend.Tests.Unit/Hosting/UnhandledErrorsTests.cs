using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Moq;
using SurveyBackend.Functions;

namespace SurveyBackend.Tests.Unit.Hosting;

/// <summary>The worker's middleware, with a faked FunctionContext: what Azure answers when a function throws.</summary>
public sealed class UnhandledErrorsTests
{
    private const string Secret = "table key=abc123; at SurveyBackend.Storage.SubmissionStore";

    [Fact]
    public async Task HttpFunction_ThatThrows_Answers500ProblemJson_WithoutTheException_AndLogsIt()
    {
        var http = new DefaultHttpContext();
        http.Response.Body = new MemoryStream();
        var logger = new Mock<ILogger<UnhandledErrors>>();
        var boom = new InvalidOperationException(Secret);

        await new UnhandledErrors(logger.Object).Invoke(Context(http), _ => throw boom);

        Assert.Equal(500, http.Response.StatusCode);
        Assert.Equal("application/problem+json", http.Response.ContentType?.Split(';')[0]);
        var body = Encoding.UTF8.GetString(((MemoryStream)http.Response.Body).ToArray());
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("urn:survey-backend:problem:internal", problem.GetProperty("type").GetString());
        Assert.Equal(500, problem.GetProperty("status").GetInt32());
        Assert.DoesNotContain("abc123", body, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(InvalidOperationException), body, StringComparison.Ordinal);
        logger.Verify(l => l.Log(LogLevel.Error, It.IsAny<EventId>(), It.IsAny<It.IsAnyType>(), boom,
            It.IsAny<Func<It.IsAnyType, Exception?, string>>()), Times.Once);
    }

    [Fact]
    public async Task QueueOrTimerFunction_ThatThrows_Rethrows_SoTheHostRetriesIt()
    {
        var boom = new InvalidOperationException(Secret);
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new UnhandledErrors(Mock.Of<ILogger<UnhandledErrors>>()).Invoke(Context(http: null), _ => throw boom));
        Assert.Same(boom, thrown);
    }

    [Fact]
    public async Task HttpFunction_ThatSucceeds_IsLeftAlone()
    {
        var http = new DefaultHttpContext();
        await new UnhandledErrors(Mock.Of<ILogger<UnhandledErrors>>()).Invoke(Context(http), _ =>
        {
            http.Response.StatusCode = 202;
            return Task.CompletedTask;
        });
        Assert.Equal(202, http.Response.StatusCode);
    }

    /// <summary>The ASP.NET Core integration puts the request's HttpContext in Items under this key.</summary>
    private static FunctionContext Context(HttpContext? http)
    {
        var items = new Dictionary<object, object>();
        if (http is not null) items["HttpRequestContext"] = http;
        var definition = new Mock<FunctionDefinition>();
        definition.SetupGet(d => d.Name).Returns("SubmitResponse");
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.Items).Returns(items);
        context.SetupGet(c => c.FunctionDefinition).Returns(definition.Object);
        return context.Object;
    }
}
