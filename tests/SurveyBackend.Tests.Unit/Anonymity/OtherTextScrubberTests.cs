using SurveyBackend.Anonymity;

namespace SurveyBackend.Tests.Unit.Anonymity;

public sealed class OtherTextScrubberTests
{
    private readonly OtherTextScrubber _scrubber = new();

    [Theory]
    [InlineData("mail jo.bloggs@anyshire.gov.uk please", "mail [removed] please")]
    [InlineData("JO+SURVEY@Example.ORG", "[removed]")]
    [InlineData("jo (at) example (dot) com", "[removed]")]
    [InlineData("see https://forum.example.org/t/123?x=1 ok", "see [removed] ok")]
    [InlineData("see www.anyshire.gov.uk/news", "see [removed]")]
    [InlineData("our page nextdoor.co.uk/anyshire", "our page [removed]")]
    [InlineData("call 01632 960123", "call [removed]")]
    [InlineData("call 07700 900 123 today", "call [removed] today")]
    [InlineData("call +44 (0)20 7946 0018", "call [removed]")]
    [InlineData("call (020) 7946-0018", "call [removed]")]
    [InlineData("office at SW1A 1AA", "office at [removed]")]
    [InlineData("office at m1 1ae", "office at [removed]")]
    [InlineData("postcode DN551PT here", "postcode [removed] here")]
    [InlineData("EC1A 1BB and B33 8TH", "[removed] and [removed]")]
    public void Scrub_RemovesContactDetails(string text, string expected) =>
        Assert.Equal(expected, _scrubber.Scrub(text));

    [Theory]
    [InlineData("Nextdoor-style local forum")]
    [InlineData("We post 3 times a day, 24/7 in winter")]
    [InlineData("Budget 2024-25 cut by 10%")]
    [InlineData("TikTok and Threads")]
    public void Scrub_LeavesOrdinaryAnswersAlone(string text) =>
        Assert.Equal(text, _scrubber.Scrub(text));
}
