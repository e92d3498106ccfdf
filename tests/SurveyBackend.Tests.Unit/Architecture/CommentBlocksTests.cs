using System.Text.RegularExpressions;

namespace SurveyBackend.Tests.Unit.Architecture;

/// <summary>
/// Long comment blocks in the app only go down. A comment keeps the why in a line or two; what the code does and how
/// the parts fit goes to docs/, where it is read as a whole and kept true in one place, not repeated beside the code.
/// </summary>
public sealed partial class CommentBlocksTests
{
    // None left after issue 29's cut (60 blocks on main before it): a new long block fails. Never raise it.
    private const int Ceiling = 0;
    private const int LongBlock = 6;

    private static readonly string Functions = FindFunctions();

    [Fact]
    public void LongCommentBlocks_InTheApp_StayAtOrBelowTheCeiling()
    {
        var blocks = Directory.EnumerateFiles(Functions, "*.cs", SearchOption.AllDirectories)
            .Where(file => !Path.GetRelativePath(Functions, file).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal)
            .SelectMany(file => LongBlocks(File.ReadAllLines(file)).Select(block =>
                $"{Path.GetRelativePath(Functions, file)}:{block.FirstLine} ({block.Lines} lines)"))
            .ToList();

        Assert.True(blocks.Count <= Ceiling,
            $"{blocks.Count} comment blocks of {LongBlock} or more lines (ceiling {Ceiling}): keep the why in a line or two and "
            + "move the rest to docs/.\n" + string.Join('\n', blocks));
    }

    [Fact]
    public void TheCount_FindsRunsOfSixCommentLinesOrMore_AndNothingShorter()
    {
        string[] source =
        [
            "/// <summary>", "/// one", "/// two", "/// three", "/// </summary>", "public sealed class Short", "{",
            "    // a", "    // b", "    /// c", "    // d", "    // e", "    // f", "    void Long() { } // not a comment line",
            "    // g", "    // h", "    // i", "    // j", "    // k", "    // l",
        ];

        Assert.Equal([(8, 6), (15, 6)], LongBlocks(source));
    }

    /// <summary>Runs of lines that are only a <c>//</c> or <c>///</c> comment: first line (1-based) and length.</summary>
    private static List<(int FirstLine, int Lines)> LongBlocks(IReadOnlyList<string> lines)
    {
        var blocks = new List<(int, int)>();
        var run = 0;
        for (var i = 0; i <= lines.Count; i++)
        {
            if (i < lines.Count && CommentLine().IsMatch(lines[i]))
            {
                run++;
                continue;
            }
            if (run >= LongBlock) blocks.Add((i - run + 1, run));
            run = 0;
        }
        return blocks;
    }

    [GeneratedRegex(@"^\s*//")]
    private static partial Regex CommentLine();

    private static string FindFunctions()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var functions = Path.Combine(dir.FullName, "functions");
            if (File.Exists(Path.Combine(functions, "SurveyBackend", "SurveyBackend.csproj"))) return functions;
        }
        throw new InvalidOperationException("Run the tests from a clone of the repository.");
    }
}
