using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;
using SurveyBackend.Web;

namespace SurveyBackend.Functions;

/// <summary>
/// The worker's answer to an exception no function caught: for an HTTP trigger, problem+json 500 with nothing of the
/// exception in it (<see cref="Problems.WriteUnexpectedAsync"/>, the same writer the local host's exception handler
/// calls), and the exception in the log. Queue and timer invocations rethrow, so the host retries them as before.
/// </summary>
internal sealed class UnhandledErrors(ILogger<UnhandledErrors> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (context.GetHttpContext() is { Response.HasStarted: false })
        {
            logger.LogError(ex, "Function {Function} failed; answered 500", context.FunctionDefinition.Name);
            await Problems.WriteUnexpectedAsync(context.GetHttpContext()!);
        }
    }
}
