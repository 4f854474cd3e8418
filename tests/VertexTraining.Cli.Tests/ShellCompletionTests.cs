using VertexTraining.Cli.Tests.Support;

namespace VertexTraining.Cli.Tests;

/// <summary>
/// Shell completion through System.CommandLine's [suggest] directive, which the dotnet-suggest shell shims call
/// with the command line typed so far and the cursor position.
/// </summary>
public sealed class ShellCompletionTests
{
    [Theory]
    [InlineData("dotnet-vertex sub", "submit")]
    [InlineData("dotnet-vertex auth ", "print-access-token")]
    [InlineData("dotnet-vertex logs --fo", "--follow")]
    public async Task Suggest_directive_completes_commands_and_options(string typed, string expected)
    {
        await using var cli = await CliHarness.StartAsync();

        var result = await cli.RunAsync($"[suggest:{typed.Length}]", typed);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(expected, result.OutLines);
    }
}
