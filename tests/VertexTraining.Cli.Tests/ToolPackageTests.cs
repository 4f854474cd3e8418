using System.Diagnostics;
using System.Reflection;
using VertexTraining.Cli.Tests.Support;

namespace VertexTraining.Cli.Tests;

/// <summary>The packed nupkg installs as a .NET tool and runs as <c>dotnet-vertex</c>.</summary>
public sealed class ToolPackageTests
{
    [Fact]
    [Trait("Category", "Package")]
    public async Task Packed_tool_installs_from_a_local_feed_and_prints_help()
    {
        using var temp = new TempDirectory();
        var cliProject = Metadata("CliProject");
        var configuration = Metadata("Configuration");
        var feed = temp.Combine("feed");

        // --no-build: the test project's build already built the CLI in this configuration.
        await Run("dotnet", ["pack", cliProject, "-c", configuration, "--no-build", "-o", feed, "-nologo"], temp.Path);
        var package = Assert.Single(Directory.GetFiles(feed, "VertexTraining.Cli.*.nupkg"));
        var version = Path.GetFileNameWithoutExtension(package)["VertexTraining.Cli.".Length..];

        var tools = temp.Combine("tools");
        await Run("dotnet", ["tool", "install", "--tool-path", tools, "--add-source", feed, "VertexTraining.Cli", "--version", version], temp.Path);
        var help = await Run(Path.Combine(tools, "dotnet-vertex"), ["--help"], temp.Path);

        Assert.Contains("dotnet vertex: submit and manage Vertex AI training jobs", help);
        Assert.Contains("auth", help);
        // --version names the package a user installed (dotnet tool list shows the same), nothing more.
        Assert.Equal(version, (await Run(Path.Combine(tools, "dotnet-vertex"), ["--version"], temp.Path)).Trim());
    }

    private static string Metadata(string key) =>
        typeof(ToolPackageTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static async Task<string> Run(string fileName, string[] arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The tool's apphost must find the runtime this test runs on.
        start.Environment["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{fileName} {string.Join(' ', arguments)} exited {process.ExitCode}\n{await output}\n{await error}");
        return await output;
    }
}
