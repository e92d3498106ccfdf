using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using SurveyBackend;
using SurveyBackend.Functions;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
// After the ASP.NET Core integration's own middleware, so an exception is answered on the request it broke.
builder.UseMiddleware<UnhandledErrors>();
builder.Services.AddSurveyBackend(builder.Configuration);
builder.Build().Run();
