using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace SurveyBackend.Tests.Browser;

/// <summary>
/// The proof of work as a person meets it on the form page: solved in a Web Worker from the moment the page is up
/// (the fixture's difficulty is low; the benchmark measures the shipped one), attached to the JSON post, announced
/// politely only if the person is quicker than the work, and replaced if the server refuses it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ProofOfWorkTests(BrowserFixture fixture)
{
    [Fact]
    public async Task TheProof_IsSolvedInAWorker_WhileThePersonAnswers_AndRidesWithTheirPost()
    {
        var page = await fixture.NewPageAsync();
        var workers = new List<string>();
        page.Worker += (_, worker) => workers.Add(worker.Url);
        var survey = new SurveyPage(page);
        await page.GotoAsync(fixture.FormUrl);
        await page.Locator("form[data-enhanced]").WaitForAsync();
        await survey.FillAllAsync();

        var posted = page.WaitForRequestAsync(r => r.Method == "POST");
        await survey.Submit.ClickAsync();
        var body = JsonNode.Parse((await posted).PostData!)!;
        await Assertions.Expect(survey.Receipt).ToBeVisibleAsync();

        Assert.Contains(workers, url => url.EndsWith("/api/proof-worker.js", StringComparison.Ordinal));
        var proof = JsonNode.Parse(Convert.FromBase64String((string)body["proof"]!))!;
        Assert.Equal("PBKDF2/SHA-256", (string?)proof["challenge"]!["parameters"]!["algorithm"]);
        Assert.StartsWith((string)proof["challenge"]!["parameters"]!["keyPrefix"]!, (string)proof["solution"]!["derivedKey"]!, StringComparison.Ordinal);
        Assert.True(await fixture.IsStoredAsync(await survey.Receipt.InnerTextAsync()));
    }

    [Fact]
    public async Task InWelsh_APersonQuickerThanTheWork_IsToldPolitely_AndAProofTheServerRefusesIsReplaced()
    {
        var page = await fixture.NewPageAsync(bypassCsp: true);
        var challenges = 0;
        // The first challenge is slow to come, so the person presses Send before the work is done.
        await page.RouteAsync("**/api/challenge", async route =>
        {
            if (Interlocked.Increment(ref challenges) == 1) await Task.Delay(2500);
            await route.ContinueAsync();
        });
        var posts = new List<string>();
        // The first post is refused as if its proof had been used already: the script solves a fresh one and sends again.
        await page.RouteAsync("**/responses", async route =>
        {
            posts.Add(route.Request.PostData!);
            if (posts.Count == 1)
            {
                await route.FulfillAsync(new()
                {
                    Status = 403, ContentType = "application/problem+json",
                    Body = """{"type":"urn:survey-backend:problem:proof-used","title":"Used","status":403,"detail":"Used."}""",
                });
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        var survey = new SurveyPage(page);
        await page.GotoAsync(fixture.FormUrl + "?lang=cy");
        await page.Locator("form[data-enhanced]").WaitForAsync();
        await survey.FillAllAsync();
        await page.Locator(".sv-submit").ClickAsync();

        var status = page.GetByRole(AriaRole.Status);
        await Assertions.Expect(status).ToHaveTextAsync("Wrthi’n paratoi eich atebion i’w hanfon…");
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
        await Assertions.Expect(survey.Receipt).ToBeVisibleAsync(new() { Timeout = 20_000 });

        Assert.Equal(2, posts.Count);
        Assert.Equal(2, challenges);
        var (first, second) = (JsonNode.Parse(posts[0])!, JsonNode.Parse(posts[1])!);
        Assert.Equal((string?)first["submissionId"], (string?)second["submissionId"]);
        Assert.NotEqual((string?)first["proof"], (string?)second["proof"]);
        Assert.True(await fixture.IsStoredAsync((string)second["submissionId"]!));
    }
}
