namespace VertexTraining.Runtime.Tests;

public class PythonJsonTests
{
    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\"")]
    [InlineData("\u0001\u001f\u007f", "\"\\u0001\\u001f\\u007f\"")]
    [InlineData("é", "\"\\u00e9\"")]
    [InlineData("€", "\"\\u20ac\"")]
    [InlineData("😀", "\"\\ud83d\\ude00\"")]
    [InlineData("/ ~", "\"/ ~\"")]
    public void String_escapes_like_json_dumps_with_ensure_ascii(string value, string expected)
    {
        Assert.Equal(expected, PythonJson.String(value));
    }

    [Fact]
    public void Object_sorts_keys_by_code_point_with_python_separators()
    {
        // Python: json.dumps({'\ue000': 1, '\U0001F600': 2, 'Z': 3, 'a': 4}, sort_keys=True)
        var members = new Dictionary<string, string>
        {
            ["\U0001F600"] = "2",
            ["a"] = "4",
            ["\ue000"] = "1",
            ["Z"] = "3",
        };

        Assert.Equal(
            "{\"Z\": 3, \"a\": 4, \"\\ue000\": 1, \"\\ud83d\\ude00\": 2}",
            PythonJson.Object(members));
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    [InlineData(1525851440.0, "1525851440.0")]
    public void Float_tokens_match_json_dumps(double value, string expected)
    {
        Assert.Equal(expected, PythonJson.Float(value));
    }
}
