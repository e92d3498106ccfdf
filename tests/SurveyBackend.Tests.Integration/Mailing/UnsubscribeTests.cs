using System.Net;
using SurveyBackend.Mailing;
using SurveyBackend.Tests.Integration.Reports;

namespace SurveyBackend.Tests.Integration.Mailing;

[Collection(ReportsCollection.Name)]
public sealed class UnsubscribeTests(ReportsStack stack)
{
    [Fact]
    public async Task Unsubscribe_ValidToken_Returns200Page_AndReplayingItReturnsTheSame()
    {
        var token = stack.Get<UnsubscribeTokens>().Create("replay@example.gov.uk");

        using var first = await stack.Host.Client.GetAsync($"api/unsubscribe?token={token}");
        var firstBody = await first.Content.ReadAsStringAsync();
        using var again = await stack.Host.Client.GetAsync($"api/unsubscribe?token={token}");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("text/html", first.Content.Headers.ContentType?.MediaType);
        Assert.Contains("You are unsubscribed", firstBody);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(firstBody, await again.Content.ReadAsStringAsync());

        var keys = await stack.Get<SurveyBackend.Storage.UnsubscribeStore>().LoadAllAsync(CancellationToken.None);
        Assert.Contains(stack.Get<UnsubscribeTokens>().AddressKey("replay@example.gov.uk"), keys);
    }

    [Fact]
    public async Task Unsubscribe_FromAWelshEmail_AnswersInWelsh_AndAnInvalidLinkToo()
    {
        var token = stack.Get<UnsubscribeTokens>().Create("cymraeg@example.gov.uk");
        using var page = await stack.Host.Client.GetAsync($"api/unsubscribe?token={token}&lang=cy");
        var html = System.Net.WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html lang=\"cy\">", html);
        Assert.Contains("<h1>Rydych wedi dad-danysgrifio</h1>", html);
        Assert.DoesNotContain("unsubscribed", html);

        using var invalid = await stack.Host.Client.GetAsync("api/unsubscribe?token=forged&lang=cy");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("Nid yw’r ddolen dad-danysgrifio hon yn ddilys.", await invalid.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unsubscribe_OneClickPost_Returns200()
    {
        var token = stack.Get<UnsubscribeTokens>().Create("oneclick@example.gov.uk");
        using var response = await stack.Host.Client.PostAsync($"api/unsubscribe?token={token}",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("forged")]
    [InlineData("altered-mac")]
    [InlineData("altered-payload")]
    [InlineData("missing")]
    [InlineData("garbage")]
    public async Task Unsubscribe_ForgedOrAlteredToken_Returns400_ThatRevealsNothing(string kind)
    {
        var good = stack.Get<UnsubscribeTokens>().Create("victim@example.gov.uk");
        var dot = good.IndexOf('.');
        var token = kind switch
        {
            "forged" => "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "altered-mac" => good[..^1] + (good[^1] == 'A' ? 'B' : 'A'),
            "altered-payload" => (good[0] == 'A' ? 'B' : 'A') + good[1..],
            "missing" => "",
            _ => "not a token at all" + good[..dot],
        };
        using var response = await stack.Host.Client.GetAsync($"api/unsubscribe?token={Uri.EscapeDataString(token)}");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("victim", body);
        Assert.DoesNotContain("Exception", body);
        // The same answer whatever was wrong: nothing to tell a real address from a made-up one.
        using var other = await stack.Host.Client.GetAsync("api/unsubscribe?token=x.y");
        Assert.Equal(body, await other.Content.ReadAsStringAsync());
    }
}
