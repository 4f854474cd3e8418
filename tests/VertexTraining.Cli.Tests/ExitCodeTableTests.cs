using System.Globalization;

namespace VertexTraining.Cli.Tests;

/// <summary>The exit codes' meanings are written once, in Core's <see cref="ExitCodes.All"/>: the docs and the help say the same.</summary>
public sealed class ExitCodeTableTests
{
    private static string RepositoryFile(string relative) => Path.Combine(RepositoryLayout.Root, relative);

    /// <summary>The rows of the Markdown table whose header row is <paramref name="header"/>, as trimmed cells.</summary>
    private static List<string[]> TableRows(string document, string header)
    {
        var lines = File.ReadAllLines(RepositoryFile(document));
        var start = Array.IndexOf(lines, header);
        Assert.True(start >= 0, $"{document} has no table headed '{header}'");
        return lines.Skip(start + 2)
            .TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries)[1..^1])
            .ToList();
    }

    [Fact]
    public void The_readme_table_states_each_exit_code_as_the_core_table_does()
    {
        var rows = TableRows("README.md", "| Exit code | Meaning |");

        Assert.Equal(
            ExitCodes.All.Select(e => $"{e.Value.ToString(CultureInfo.InvariantCulture)} | {e.Meaning}"),
            rows.Select(cells => string.Join(" | ", cells)));
    }

    [Fact]
    public void The_ci_guide_gives_advice_for_exactly_the_codes_of_the_core_table()
    {
        var rows = TableRows("docs/ci.md", "| Code | The pipeline should |");

        Assert.Equal(ExitCodes.All.Select(e => e.Value.ToString(CultureInfo.InvariantCulture)), rows.Select(cells => cells[0]));
    }

    [Fact]
    public void The_help_lists_every_code_with_its_summary()
    {
        var help = Program.BuildRoot().Description ?? "";

        Assert.Contains("Exit codes: 0 success, 1 job failed, 2 bad configuration, 3 authentication, 4 API or build error, 5 job cancelled, 6 local execution failed, 130 interrupted.", help, StringComparison.Ordinal);
        Assert.All(ExitCodes.All, e => Assert.Contains($"{e.Value} {e.Summary}", help, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, "success")]
    [InlineData(6, "local execution failed")]
    [InlineData(137, "unknown exit code")]
    public void A_code_is_summarised_from_the_table_and_an_unknown_one_says_so(int value, string summary) =>
        Assert.Equal(summary, ExitCodes.SummaryOf(value));
}
