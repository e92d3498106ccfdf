using System.Text;
using SurveyBackend.Reports;

namespace SurveyBackend.Tests.Unit.Reports;

public sealed class PublishRequestTests
{
    private static SurveyBackend.Validation.Validated<PublishRequest> Parse(string json) => PublishRequest.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Parse_ValidBody_ReadsEveryField_InUtc()
    {
        var parsed = Parse("""{"title":" Report ","summary":"**Hi**","publishAt":"2026-03-01T10:00:00+01:00","reportUrl":"https://cdn.example.org/r.pdf"}""");

        Assert.True(parsed.IsValid);
        Assert.Equal("Report", parsed.Value!.Title);
        Assert.Equal(DateTimeOffset.Parse("2026-03-01T09:00:00Z"), parsed.Value.PublishAt);
        Assert.Equal(TimeSpan.Zero, parsed.Value.PublishAt.Offset);
        Assert.Equal("https://cdn.example.org/r.pdf", parsed.Value.ReportUrl);
        Assert.Null(parsed.Value.Release);
    }

    [Fact]
    public void Parse_TextsPerLanguage_EnglishAsBefore_WelshInTranslations()
    {
        var parsed = Parse("""{"title":{"en":" Report ","cy":" Adroddiad "},"summary":{"en":"**Hi**","cy":"**Helo**"},"publishAt":"2026-03-01T10:00:00Z"}""");

        Assert.True(parsed.IsValid);
        Assert.Equal("Report", parsed.Value!.Title);
        Assert.Equal("**Hi**", parsed.Value.Summary);
        Assert.Equal(new ReportTexts("Adroddiad", "**Helo**"), parsed.Value.Translations!["cy"]);
        Assert.Null(Parse("""{"title":{"en":"t"},"summary":"s","publishAt":"2026-03-01T10:00:00Z"}""").Value!.Translations);
    }

    [Fact]
    public void Parse_Release_IsTheNumberAsked()
    {
        var parsed = Parse("""{"title":"t","summary":"s","publishAt":"2026-03-01T10:00:00Z","release":3}""");

        Assert.True(parsed.IsValid);
        Assert.Equal(3, parsed.Value!.Release);
    }

    [Theory]
    [InlineData("""{"summary":"s","publishAt":"2026-03-01T10:00:00Z"}""", "title")]
    [InlineData("""{"title":"   ","summary":"s","publishAt":"2026-03-01T10:00:00Z"}""", "title")]
    [InlineData("""{"title":"t","publishAt":"2026-03-01T10:00:00Z"}""", "summary")]
    [InlineData("""{"title":"t","summary":"s","publishAt":"2026-03-01 10:00"}""", "publishAt")]
    [InlineData("""{"title":"t","summary":"s","publishAt":"2026-03-01T10:00:00"}""", "publishAt")]
    [InlineData("""{"title":"t","summary":"s","publishAt":42}""", "publishAt")]
    [InlineData("""{"title":"t","summary":"s","publishAt":"2026-03-01T10:00:00Z","reportUrl":"http://x.example.org/r.pdf"}""", "reportUrl")]
    [InlineData("""{"title":"t","summary":"s","publishAt":"2026-03-01T10:00:00Z","reportUrl":"/relative.pdf"}""", "reportUrl")]
    [InlineData("""{"title":"t","summary":"s","publishAt":"2026-03-01T10:00:00Z","extra":1}""", "extra")]
    [InlineData("""{"title":"t","summary":"s","publishAt":"2026-03-01T10:00:00Z","release":0}""", "release")]
    [InlineData("""{"title":"t","summary":"s","publishAt":"2026-03-01T10:00:00Z","release":"2"}""", "release")]
    [InlineData("""{"title":"t","summary":"s","publishAt":"2026-03-01T10:00:00Z","release":1.5}""", "release")]
    [InlineData("""{"title":{"cy":"t"},"summary":{"en":"s","cy":"s"},"publishAt":"2026-03-01T10:00:00Z"}""", "title.en")]
    [InlineData("""{"title":{"en":"t","cy":"t"},"summary":"s","publishAt":"2026-03-01T10:00:00Z"}""", "summary.cy")]
    [InlineData("""{"title":{"en":"t","cy":" "},"summary":{"en":"s","cy":"s"},"publishAt":"2026-03-01T10:00:00Z"}""", "title.cy")]
    [InlineData("""{"title":{"en":"t","fr":"t"},"summary":{"en":"s","fr":"s"},"publishAt":"2026-03-01T10:00:00Z"}""", "title.fr")]
    [InlineData("""{"title":{"en":"t","cy":1},"summary":{"en":"s","cy":"s"},"publishAt":"2026-03-01T10:00:00Z"}""", "title.cy")]
    [InlineData("""{"title":["t"],"summary":"s","publishAt":"2026-03-01T10:00:00Z"}""", "title")]
    [InlineData("""[1]""", "")]
    [InlineData("""{not json""", "")]
    public void Parse_BadField_NamesItsPath(string json, string path)
    {
        var parsed = Parse(json);

        Assert.False(parsed.IsValid);
        Assert.Contains(path, parsed.Errors.ToDictionary().Keys);
    }

    [Fact]
    public void Parse_TooLong_TitleAndSummary()
    {
        var parsed = Parse($$"""{"title":"{{new string('t', 201)}}","summary":"{{new string('s', 20_001)}}","publishAt":"2026-03-01T10:00:00Z"}""");

        Assert.Equal(["summary", "title"], parsed.Errors.ToDictionary().Keys.Order());
    }
}
