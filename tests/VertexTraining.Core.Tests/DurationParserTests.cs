using VertexTraining.Core.Configuration;

namespace VertexTraining.Core.Tests;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("3600s", 3600)]
    [InlineData("90m", 5400)]
    [InlineData("2h", 7200)]
    [InlineData("1.5h", 5400)]
    [InlineData("7d", 604800)]
    [InlineData("0.5s", 0.5)]
    [InlineData("90M", 5400)]
    [InlineData(" 10 s ", 10)]
    [InlineData("01:02:03", 3723)]
    [InlineData("100:00:00", 360000)]
    [InlineData("0:00:00", 0)]
    [InlineData("0s", 0)]
    public void Parses_the_documented_forms(string text, double seconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("90")]
    [InlineData("90 minutes")]
    [InlineData("-5m")]
    [InlineData("1:2:3")]
    [InlineData("01:60:00")]
    [InlineData("1e3s")]
    [InlineData("1,5h")]
    [InlineData("PT1H")]
    [InlineData("h")]
    [InlineData("99999999999999999999d")]
    [InlineData("99999999999:00:00")]
    [InlineData("300000000:00:00")]
    [InlineData("\u0669\u0660m")] // Arabic-Indic "90": a Unicode digit, not an ASCII one.
    [InlineData("\u0661:00:00")]
    public void Rejects_anything_else_without_throwing(string text)
    {
        Assert.False(DurationParser.TryParse(text, out _));
    }

    [Theory]
    [InlineData(5400, "5400s")]
    [InlineData(1.5, "1.5s")]
    [InlineData(0.001, "0.001s")]
    [InlineData(0, "0s")]
    [InlineData(864000, "864000s")]
    public void Writes_proto_json_seconds(double seconds, string expected)
    {
        Assert.Equal(expected, DurationParser.ToProtoJson(TimeSpan.FromSeconds(seconds)));
    }

    [Theory]
    [InlineData("5400s", 5400.0)]
    [InlineData("1.5s", 1.5)]
    [InlineData("0s", 0.0)]
    [InlineData("5400", null)]
    [InlineData("abcs", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Reads_proto_json_seconds_back(string? text, double? seconds)
    {
        Assert.Equal(seconds is null ? null : TimeSpan.FromSeconds(seconds.Value), DurationParser.FromProtoJson(text));
    }

    [Fact]
    public void Rounds_to_milliseconds_so_the_written_form_stays_short()
    {
        Assert.True(DurationParser.TryParse("0.0004s", out var tiny));
        Assert.True(DurationParser.TryParse("1.23456s", out var fraction));

        Assert.Equal(TimeSpan.Zero, tiny);
        Assert.Equal("1.235s", DurationParser.ToProtoJson(fraction));
    }
}
