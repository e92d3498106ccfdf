using SurveyBackend.Storage;

namespace SurveyBackend.Tests.Unit.Anonymity;

public sealed class PendingRecipientKeyTests
{
    [Fact]
    public void RowKeys_SortByArrival_AsPlainStrings()
    {
        DateTimeOffset[] times =
        [
            new(2001, 1, 1, 0, 0, 0, TimeSpan.Zero),
            new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero).AddTicks(1),
            new(2026, 3, 1, 10, 0, 0, TimeSpan.FromHours(-2)), // 12:00 UTC
            new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero),
        ];
        var keys = times.Select(PendingRecipientStore.RowKeyFor).ToList();

        Assert.Equal(keys, keys.Order(StringComparer.Ordinal));
        Assert.Equal(times, keys.Select(k => PendingRecipientStore.ArrivedAt(k)!.Value));
    }

    [Fact]
    public void RowKeys_MadeAtTheSameMoment_AreDistinct()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(1000, Enumerable.Range(0, 1000).Select(_ => PendingRecipientStore.RowKeyFor(now)).Distinct().Count());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-time|abc")]
    [InlineData("0638765432101234567")]
    [InlineData("99999999999999999999|ab")]
    [InlineData("9999999999999999999|ab")]
    [InlineData("3200000000000000000|ab")]
    public void ArrivedAt_OfAKeyItDidNotMake_IsNull(string rowKey) =>
        Assert.Null(PendingRecipientStore.ArrivedAt(rowKey));
}
