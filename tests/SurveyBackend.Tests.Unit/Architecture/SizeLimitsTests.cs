using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SurveyBackend.Tests.Unit.Architecture;

/// <summary>
/// No app file over <see cref="MaxFileLines"/> lines (every <c>.cs</c> under functions/, and the scripts the app serves
/// from an Assets folder), no C# method over <see cref="MaxMethodLines"/>. A method's lines run from its first token
/// (attributes and signature included, the doc comment above not) to its closing brace or semicolon, as the compiler
/// parses it; its local functions and lambdas count as part of it. Constructors, operators and property accessors count
/// as methods.
/// </summary>
public sealed class SizeLimitsTests
{
    public const int MaxFileLines = 400;
    public const int MaxMethodLines = 80;

    private static readonly string Functions = Path.Combine(FindRoot(), "functions");

    [Fact]
    public void NoAppFile_IsOverTheLineLimit()
    {
        var offenders = AppFiles().Select(file => (file, lines: File.ReadLines(file).Count()))
            .Where(f => f.lines > MaxFileLines).Select(f => $"{Relative(f.file)}: {f.lines} lines").ToList();

        Assert.True(offenders.Count == 0, $"Over {MaxFileLines} lines:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void NoMethod_IsOverTheLineLimit()
    {
        var offenders = AppFiles().Where(f => f.EndsWith(".cs", StringComparison.Ordinal))
            .SelectMany(file => LongMethods(File.ReadAllText(file)).Select(m => $"{Relative(file)}: {m}")).ToList();

        Assert.True(offenders.Count == 0, $"Methods over {MaxMethodLines} lines:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void TheCount_FindsALongMethod_AConstructorAndAnAccessor_ButNotAShortOne()
    {
        var body = string.Concat(Enumerable.Repeat("        x++;\n", MaxMethodLines - 3));
        var source = $$"""
            class Sample
            {
                int x;
                void Fits()
                {
            {{body}}    }
                void TooLong()
                {
            {{body}}        x++;
                }
                Sample()
                {
            {{body}}        x++;
                }
                int P
                {
                    get
                    {
            {{body}}            return x;
                    }
                }
            }
            """;

        Assert.Equal(["TooLong: 81 lines", "Sample: 81 lines", "get: 81 lines"], LongMethods(source));
    }

    private static IEnumerable<string> LongMethods(string source) =>
        CSharpSyntaxTree.ParseText(source).GetRoot().DescendantNodes()
            .Where(n => n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax)
            .Select(n => (name: Name(n), lines: Lines(n)))
            .Where(m => m.lines > MaxMethodLines)
            .Select(m => $"{m.name}: {m.lines} lines");

    private static int Lines(SyntaxNode node)
    {
        var span = node.GetLocation().GetLineSpan();
        return span.EndLinePosition.Line - span.StartLinePosition.Line + 1;
    }

    private static string Name(SyntaxNode node) => node switch
    {
        MethodDeclarationSyntax m => m.Identifier.Text,
        ConstructorDeclarationSyntax c => c.Identifier.Text,
        AccessorDeclarationSyntax a => a.Keyword.Text,
        _ => node.Kind().ToString(),
    };

    /// <summary>The app's C# (both projects under functions/) and the scripts it serves from its Assets folders.</summary>
    private static IEnumerable<string> AppFiles() =>
        Directory.EnumerateFiles(Functions, "*.*", SearchOption.AllDirectories)
            .Where(f => !InBuildOutput(f))
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal)
                || f.EndsWith(".js", StringComparison.Ordinal) && f.Split(Path.DirectorySeparatorChar).Contains("Assets"));

    private static bool InBuildOutput(string file) =>
        file.Split(Path.DirectorySeparatorChar) is var parts && (parts.Contains("obj") || parts.Contains("bin"));

    private static string Relative(string file) => Path.GetRelativePath(Functions, file);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "functions", "SurveyBackend", "SurveyBackend.csproj"))) return dir.FullName;
        throw new InvalidOperationException("Run the tests from a clone of the repository.");
    }
}
