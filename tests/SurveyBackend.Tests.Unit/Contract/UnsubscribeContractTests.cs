using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using SurveyBackend.Web;

namespace SurveyBackend.Tests.Unit.Contract;

/// <summary>
/// What docs/openapi.json promises of <c>/unsubscribe</c>: a GET answers a page (and changes nothing, since mail
/// scanners fetch links), a POST a page for the browser's button or JSON for a mail client, and both a 400 for a bad token.
/// </summary>
public sealed class UnsubscribeContractTests
{
    private static async Task<IOpenApiPathItem> PathAsync()
    {
        await using var stream = typeof(Problems).Assembly.GetManifestResourceStream("SurveyBackend.openapi.json")!;
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        copy.Position = 0;
        return (await OpenApiDocument.LoadAsync(copy, "json")).Document!.Paths["/unsubscribe"];
    }

    [Fact]
    public async Task Get_AnswersAPageOnly_AndSaysItChangesNothing()
    {
        var get = (await PathAsync()).Operations![HttpMethod.Get];

        Assert.Equal(["text/html"], get.Responses!["200"].Content!.Keys);
        Assert.Contains("changes nothing", get.Description);
        Assert.True(get.Responses.ContainsKey("400"));
    }

    [Fact]
    public async Task Post_AnswersAPageOrJson_ThatSayTheAddressIsErased()
    {
        var post = (await PathAsync()).Operations![HttpMethod.Post];

        Assert.Equal(["application/json", "text/html"], post.Responses!["200"].Content!.Keys.Order());
        var json = post.Responses["200"].Content!["application/json"].Schema!;
        Assert.Contains("addressErased", json.Required!);
        Assert.Contains("erases the address from storage at once", post.Description);
        Assert.True(post.Responses.ContainsKey("400"));
    }
}
