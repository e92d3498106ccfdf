using SurveyBackend.Validation;

namespace SurveyBackend.Tests.Unit.Validation;

public sealed class ValidationErrorsTests
{
    [Fact]
    public void Count_IsThePathsWithAFault_AndEnumeratingGivesEachWithItsMessages_InTheOrderFound()
    {
        var errors = new ValidationErrors();
        errors.Add("title", "Required.");
        errors.Add("questions[0].id", "Used twice.");
        errors.Add("title", "Too long.");
        errors.Add("title", "Required.");

        Assert.Equal(2, errors.Count);
        Assert.Equal(["title", "questions[0].id"], errors.Select(e => e.Key));
        Assert.Equal(["Required.", "Too long."], errors.First().Value);
        Assert.True(errors.Contains("questions[0].id"));
        Assert.False(errors.Contains("questions[0]"));
    }

    [Fact]
    public void Combine_KeepsTheRulesFaults_OnlyOnBranchesTheReadingFoundNoFaultOn()
    {
        var reading = new ValidationErrors();
        reading.Add("questions[0].options[1].text", "Must be a string.");
        var rules = new ValidationErrors();
        rules.Add("questions[0].options[1].text", "Required.");        // at it
        rules.Add("questions[0].options[1].text.cy", "Undeclared.");   // beneath it
        rules.Add("questions[0].options", "Two options at least.");   // above it
        rules.Add("questions[0].optionsX", "Elsewhere.");              // a sibling that shares a prefix
        rules.Add("questions[1].id", "Used twice.");                   // elsewhere

        var all = ValidationErrors.Combine(reading, rules);

        Assert.Equal(["questions[0].options[1].text", "questions[0].optionsX", "questions[1].id"], all.Select(e => e.Key));
        Assert.Equal(["Must be a string."], all.First().Value);
    }
}
