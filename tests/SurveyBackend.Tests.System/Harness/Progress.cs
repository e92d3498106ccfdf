using Xunit.Abstractions;

namespace SurveyBackend.Tests.System.Harness;

/// <summary>
/// Test output that is also appended, time-stamped, to <c>system-tests.log</c> beside the test assembly as it
/// happens: xunit shows a test's output only when it ends, and a scenario that kills things is worth following live.
/// </summary>
public sealed class Progress(ITestOutputHelper output) : ITestOutputHelper
{
    public static string FilePath => Path.Combine(AppContext.BaseDirectory, "system-tests.log");

    public void WriteLine(string message)
    {
        output.WriteLine(message);
        lock (typeof(Progress)) File.AppendAllText(FilePath, $"{DateTime.UtcNow:HH:mm:ss.fff} {message}{Environment.NewLine}");
    }

    public void WriteLine(string format, params object[] args) => WriteLine(string.Format(global::System.Globalization.CultureInfo.InvariantCulture, format, args));
}
