using Microsoft.Playwright;

namespace SurveyBackend.Tests.Browser;

/// <summary>Drives the survey form, embedded or on its own page. Playwright's CSS locators reach into open shadow roots.</summary>
public sealed class SurveyPage(IPage page)
{
    /// <summary>A complete, valid set of answers to the sample survey, as the ids of the controls to tick.</summary>
    public static readonly string[] Choices =
    [
        "organisationType-county", "region-london", "role-digital", "channels-twitter", "channels-facebook", "channels-other",
        "maturity-engage", "customerService-process", "insightUse-campaigns", "teamSize-1-2", "resourcing-same",
        "successMeasures-engagement", "challenge-skills",
    ];

    public IPage Page => page;
    public ILocator Submit => page.GetByRole(AriaRole.Button, new() { Name = "Send my answers" });
    public ILocator Summary => page.Locator(".sv-summary");
    public ILocator Receipt => page.Locator(".sv-receipt");

    public async Task ChooseAsync(params string[] ids)
    {
        foreach (var id in ids) await page.Locator("#sv-q-" + id).CheckAsync();
    }

    public async Task FillAllAsync(string? except = null)
    {
        await ChooseAsync([.. Choices.Where(c => except is null || !c.StartsWith(except + "-", StringComparison.Ordinal))]);
        await page.Locator("#sv-other-channels").FillAsync("A local residents' forum");
        await page.Locator("#sv-email").FillAsync("jo@example.gov.uk");
        await page.Locator("#sv-consent").CheckAsync();
    }

    /// <summary>The id of the element that has focus, looking through shadow roots.</summary>
    public Task<string> FocusedIdAsync() => page.EvaluateAsync<string>("""
        () => { let a = document.activeElement; while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement; return a ? (a.id || a.className || a.tagName) : ''; }
        """);

    /// <summary>Presses Tab until the element with this id has focus: proof that the keyboard reaches it.</summary>
    public async Task TabToAsync(string id, int maxPresses = 40)
    {
        for (var i = 0; i < maxPresses; i++)
        {
            if (await FocusedIdAsync() == id) return;
            await page.Keyboard.PressAsync("Tab");
        }
        Assert.Fail($"Tab never reached #{id} (focus is on {await FocusedIdAsync()}).");
    }

    /// <summary>The submission id the form posted, read from the request body.</summary>
    public static string SubmissionIdOf(IRequest request) =>
        System.Text.Json.JsonDocument.Parse(request.PostData!).RootElement.GetProperty("submissionId").GetString()!;
}
