namespace VertexTraining.Runtime.Tests;

public class PythonFloatTests
{
    // Expected strings are what CPython 3.11 prints for repr(x) (== str(x)).
    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(1.0, "1.0")]
    [InlineData(1e-05, "1e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.001, "0.001")]
    [InlineData(123456789012345678.0, "1.2345678901234568e+17")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1.5e16, "1.5e+16")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(9999999999999998.0, "9999999999999998.0")]
    [InlineData(9007199254740993.0, "9007199254740992.0")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(0.93, "0.93")]
    [InlineData(0.987, "0.987")]
    [InlineData(4.35, "4.35")]
    [InlineData(1.1, "1.1")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(100.0, "100.0")]
    [InlineData(1234567.0, "1234567.0")]
    [InlineData(0.00012345, "0.00012345")]
    [InlineData(1e-5 * 1.5, "1.5000000000000002e-05")]
    [InlineData(3e-07, "3e-07")]
    [InlineData(-2.5e-10, "-2.5e-10")]
    [InlineData(1e22, "1e+22")]
    [InlineData(1e100, "1e+100")]
    [InlineData(12345678901234567890.0, "1.2345678901234567e+19")]
    [InlineData(123456789.123, "123456789.123")]
    [InlineData(1.0 / 3, "0.3333333333333333")]
    [InlineData(2.0 / 3, "0.6666666666666666")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(double.MaxValue, "1.7976931348623157e+308")]
    [InlineData(2.2250738585072014e-308, "2.2250738585072014e-308")]
    [InlineData(1525851440.123456, "1525851440.123456")]
    [InlineData(1525851440.0, "1525851440.0")]
    [InlineData(1700000000.1234567, "1700000000.1234567")]
    public void Repr_matches_CPython(double value, string expected)
    {
        Assert.Equal(expected, PythonFloat.Repr(value));
    }

    [Fact]
    public void Repr_round_trips_through_double_parsing()
    {
        var random = new Random(12345);
        for (var i = 0; i < 10_000; i++)
        {
            var value = BitConverter.Int64BitsToDouble(random.NextInt64());
            if (!double.IsFinite(value))
            {
                continue;
            }

            var text = PythonFloat.Repr(value);
            Assert.Equal(value, double.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
