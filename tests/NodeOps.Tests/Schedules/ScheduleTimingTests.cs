using NodeOps.Errors;
using NodeOps.Schedules;

namespace NodeOps.Tests.Schedules;

/// <summary>Cron with and without seconds, time zones across daylight-saving changes, and windows.</summary>
public sealed class ScheduleTimingTests
{
    private static ScheduleTiming Timing(string cron, string zone)
    {
        var errors = new List<FieldError>();
        var timing = ScheduleTiming.TryParse(cron, zone, errors);
        Assert.Empty(errors);
        return timing!;
    }

    private static List<FieldError> Errors(string? cron, string? zone)
    {
        var errors = new List<FieldError>();
        Assert.Null(ScheduleTiming.TryParse(cron, zone, errors));
        return errors;
    }

    [Fact]
    public void FiveFields_InBerlin_FireAtLocalTime()
    {
        var due = Timing("0 2 * * *", "Europe/Berlin").Next(DateTimeOffset.Parse("2026-01-10T12:00:00Z"), 3);

        Assert.Equal(
            [DateTimeOffset.Parse("2026-01-11T01:00:00Z"), DateTimeOffset.Parse("2026-01-12T01:00:00Z"), DateTimeOffset.Parse("2026-01-13T01:00:00Z")],
            due);
    }

    [Fact]
    public void SixFields_CountSeconds()
    {
        var due = Timing("*/20 * * * * *", "UTC").Next(DateTimeOffset.Parse("2026-01-10T12:00:05Z"), 3);

        Assert.Equal([20, 40, 0], due.Select(d => d.Second));
    }

    [Fact]
    public void SpringForward_SkippedLocalTime_FiresOnceAtTheTransition()
    {
        // 2026-03-29 in Berlin: 02:00 CET jumps to 03:00 CEST, so 02:30 does not exist that day.
        var due = Timing("30 2 * * *", "Europe/Berlin").Next(DateTimeOffset.Parse("2026-03-28T12:00:00Z"), 3);

        Assert.Equal(DateTimeOffset.Parse("2026-03-29T01:00:00Z"), due[0]);
        Assert.Equal(DateTimeOffset.Parse("2026-03-30T00:30:00Z"), due[1]);
        Assert.Equal(TimeSpan.FromHours(23.5), due[1] - due[0]);
    }

    [Fact]
    public void FallBack_RepeatedLocalTime_FiresOnce()
    {
        // 2026-10-25 in Berlin: 03:00 CEST falls back to 02:00 CET, so 02:30 happens twice; the schedule fires once.
        var timing = Timing("30 2 * * *", "Europe/Berlin");

        var due = timing.Between(DateTimeOffset.Parse("2026-10-24T12:00:00Z"), DateTimeOffset.Parse("2026-10-26T12:00:00Z"));

        Assert.Equal([DateTimeOffset.Parse("2026-10-25T00:30:00Z"), DateTimeOffset.Parse("2026-10-26T01:30:00Z")], due);
    }

    [Fact]
    public void IntervalCron_AcrossFallBack_KeepsItsInterval()
    {
        // Every 30 minutes through the repeated hour: both 02:00 and 02:30 happen twice, at distinct instants.
        var due = Timing("*/30 * * * *", "Europe/Berlin").Between(DateTimeOffset.Parse("2026-10-24T23:45:00Z"), DateTimeOffset.Parse("2026-10-25T01:45:00Z"));

        Assert.Equal(4, due.Count);
        Assert.All(due.Zip(due.Skip(1)), pair => Assert.Equal(TimeSpan.FromMinutes(30), pair.Second - pair.First));
    }

    [Theory]
    [InlineData("61 * * * *")]
    [InlineData("* 24 * * *")]
    [InlineData("* * *")]
    [InlineData("* * * * * * *")]
    [InlineData("every day")]
    [InlineData("")]
    public void BadCron_IsRefusedNamingCron(string cron)
    {
        var error = Assert.Single(Errors(cron, "UTC"));

        Assert.Equal("cron", error.Field);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("")]
    [InlineData(null)]
    public void UnknownTimezone_IsRefusedNamingTimezone(string? zone)
    {
        var error = Assert.Single(Errors("0 2 * * *", zone));

        Assert.Equal("timezone", error.Field);
        Assert.Contains("IANA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Window_EndBeforeStart_UnknownDay_AndBadTime_AreRefusedNamingTheField()
    {
        var errors = new List<FieldError>();
        new ScheduleWindow("05:00", "01:00", ["mon", "funday"]).Check(errors);
        new ScheduleWindow("25:00", "26:00").Check(errors);

        Assert.Equal(["window.end", "window.days", "window.start", "window.end"], errors.Select(e => e.Field));
        Assert.Contains("mon, tue, wed, thu, fri, sat, sun", errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Window_ContainsLocalTimeOnListedDays()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var window = new ScheduleWindow("01:00", "05:00", ["mon", "tue", "wed", "thu", "fri"]);

        Assert.True(window.Contains(DateTimeOffset.Parse("2026-01-12T01:00:00Z"), berlin));   // Monday 02:00 local
        Assert.False(window.Contains(DateTimeOffset.Parse("2026-01-12T04:00:00Z"), berlin));  // Monday 05:00 local: the end is exclusive
        Assert.False(window.Contains(DateTimeOffset.Parse("2026-01-11T01:00:00Z"), berlin));  // Sunday
        // Saturday 23:30 in UTC is Sunday 00:30 in Berlin: the day is the local one.
        Assert.True(new ScheduleWindow("00:00", "02:00", ["sun"]).Contains(DateTimeOffset.Parse("2026-01-17T23:30:00Z"), berlin));
    }
}
