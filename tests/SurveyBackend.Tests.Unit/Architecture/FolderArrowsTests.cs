using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SurveyBackend.Web;

namespace SurveyBackend.Tests.Unit.Architecture;

/// <summary>
/// The arrows between the app's folders run one way (docs/architecture.md). Read from the source, not the compiled
/// code, because a constant such as <c>DisplayText.Hidden</c> leaves no trace in IL: a file uses another folder when
/// it names that folder's namespace or one of its types.
/// </summary>
public sealed class FolderArrowsTests
{
    private static readonly string App = FindApp();

    [Theory]
    // Form and Reports share their display code through Display/, never through each other.
    [InlineData("Form", "Reports")]
    [InlineData("Reports", "Form")]
    // Display/ is below both, and below Aggregation/ whose CSV writer uses it.
    [InlineData("Display", "Form")]
    [InlineData("Display", "Reports")]
    [InlineData("Display", "Mailing")]
    [InlineData("Display", "Aggregation")]
    [InlineData("Display", "Releases")]
    // Mailing → Reports → Aggregation, never back.
    [InlineData("Aggregation", "Reports")]
    [InlineData("Aggregation", "Form")]
    [InlineData("Aggregation", "Mailing")]
    [InlineData("Reports", "Mailing")]
    // The reader and the validation result are plain domain: no HTTP (Web/ is HTTP only).
    [InlineData("Validation", "Web")]
    public void AFolder_DoesNotUse_AFolderAboveOrBesideIt(string folder, string mustNotUse)
    {
        var offenders = Uses(folder, mustNotUse);

        Assert.True(offenders.Count == 0, $"{folder}/ uses {mustNotUse}/:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void TheCheck_FindsAUse_ByUsingByQualifiedNameAndByConstant()
    {
        const string source = """
            using SurveyBackend.Reports;
            namespace SurveyBackend.Form;
            // SvgCharts in a comment is not a use, nor is "TrendWords" in a string, nor a member that shares a type's name.
            static class Sample
            {
                static string A => SurveyBackend.Display.DisplayText.Hidden + $"{Reports.ReportCharts.AnsweredLine(null!, null!)}";
                static string B => ReportRenderer.Hidden + "TrendWords" + Other.SvgCharts + new Other { SvgCharts = "" };
                static int C => SurveyBackend.Reports.Report.MaxLength;
            }
            """;

        var found = Uses(source, "Reports", new HashSet<string>(["Report", "ReportCharts", "ReportRenderer", "SvgCharts", "TrendWords"]));

        Assert.Equal(["using SurveyBackend.Reports", "ReportCharts", "ReportRenderer", "Report"], found);
    }

    private static List<string> Uses(string folder, string mustNotUse)
    {
        var names = TypeNames(mustNotUse);
        Assert.NotEmpty(names);
        var files = Directory.EnumerateFiles(Path.Combine(App, folder), "*.cs", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        return [.. files.SelectMany(file => Uses(File.ReadAllText(file), mustNotUse, names).Select(use => $"{Path.GetFileName(file)}: {use}"))];
    }

    /// <summary>Each using directive of the folder's namespace, and each name of one of its types, once per file.</summary>
    private static IEnumerable<string> Uses(string source, string folder, IReadOnlySet<string> typeNames)
    {
        var root = CSharpSyntaxTree.ParseText(source).GetRoot();
        var ns = "SurveyBackend." + folder;
        var usings = root.DescendantNodes().OfType<UsingDirectiveSyntax>()
            .Where(u => u.Name?.ToString() is { } name && (name == ns || name.StartsWith(ns + ".", StringComparison.Ordinal)))
            .Select(u => "using " + u.Name);
        var types = root.DescendantNodes().OfType<SimpleNameSyntax>()
            .Where(n => typeNames.Contains(n.Identifier.Text) && NamesAType(n, folder))
            .Select(n => n.Identifier.Text);
        return usings.Concat(types).Distinct();
    }

    /// <summary>False for a member that shares a type's name (<c>trend.Comparison</c>, <c>Comparison = …</c>).</summary>
    private static bool NamesAType(SimpleNameSyntax name, string folder) => name.Parent switch
    {
        MemberAccessExpressionSyntax access when access.Name == name => IsNamespace(access.Expression.ToString(), folder),
        QualifiedNameSyntax qualified when qualified.Right == name => IsNamespace(qualified.Left.ToString(), folder),
        AssignmentExpressionSyntax { Parent: InitializerExpressionSyntax } assignment when assignment.Left == name => false,
        NameColonSyntax or NameEqualsSyntax => false,
        _ => true,
    };

    private static bool IsNamespace(string qualifier, string folder) => qualifier == folder || qualifier == "SurveyBackend." + folder;

    private static IReadOnlySet<string> TypeNames(string folder) =>
        typeof(Problems).Assembly.GetTypes()
            .Where(t => t.Namespace == "SurveyBackend." + folder && !t.IsNested && !t.IsDefined(typeof(CompilerGeneratedAttribute), false))
            .Select(t => t.Name.Split('`')[0])
            .ToHashSet(StringComparer.Ordinal);

    private static string FindApp()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var app = Path.Combine(dir.FullName, "functions", "SurveyBackend");
            if (File.Exists(Path.Combine(app, "SurveyBackend.csproj"))) return app;
        }
        throw new InvalidOperationException("Run the tests from a clone of the repository.");
    }
}
