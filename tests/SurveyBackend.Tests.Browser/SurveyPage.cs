using Microsoft.Playwright;

namespace SurveyBackend.Tests.Browser;

/// <summary>
/// Drives the survey form: on its own page, or in the frame that embed.js puts on a host page (<see cref="Frame"/> is
/// then that frame, and <see cref="Page"/> the host page, whose keyboard reaches into it).
/// </summary>
public sealed class SurveyPage(IPage page, IFrame? frame = null)
{
    /// <summary>A complete, valid set of answers to the sample survey, as the ids of the controls to tick.</summary>
    public static readonly string[] Choices =
    [
        "organisationType-county", "region-london", "role-digital", "channels-twitter", "channels-facebook", "channels-other",
        "maturity-engage", "customerService-process", "insightUse-campaigns", "teamSize-1-2", "resourcing-same",
        "successMeasures-engagement", "challenge-skills",
    ];

    public IPage Page => page;
    /// <summary>The document the form is in.</summary>
    public IFrame Frame => frame ?? page.MainFrame;
    public ILocator Submit => Frame.GetByRole(AriaRole.Button, new() { Name = "Send my answers" });
    public ILocator Summary => Frame.Locator(".sv-summary");
    public ILocator Receipt => Frame.Locator(".sv-receipt");

    public ILocator Locator(string selector) => Frame.Locator(selector);

    public async Task ChooseAsync(params string[] ids)
    {
        foreach (var id in ids) await Frame.Locator("#sv-q-" + id).CheckAsync();
    }

    public async Task FillAllAsync(string? except = null)
    {
        await ChooseAsync([.. Choices.Where(c => except is null || !c.StartsWith(except + "-", StringComparison.Ordinal))]);
        await Frame.Locator("#sv-other-channels").FillAsync("A local residents' forum");
        await Frame.Locator("#sv-email").FillAsync("jo@example.gov.uk");
        await Frame.Locator("#sv-consent").CheckAsync();
    }

    /// <summary>The id of the element that has focus in the form's document; empty while focus is elsewhere (the host page).</summary>
    public Task<string> FocusedIdAsync() => Frame.EvaluateAsync<string>("""
        () => { const a = document.activeElement; return document.hasFocus() && a && a !== document.body ? (a.id || a.className || a.tagName) : ''; }
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
