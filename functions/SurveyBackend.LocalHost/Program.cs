using SurveyBackend.LocalHost;

// Runs the function app the way the Functions host would, on engines that install here:
// Kestrel for HTTP triggers, the WebJobs SDK for queue and timer triggers, Azurite for storage.
var app = LocalHostApp.Build(args);
await app.RunAsync();
