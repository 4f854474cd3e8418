using System.CommandLine;
using VertexTraining.Cli.Commands;

namespace VertexTraining.Cli;

/// <summary>Entry point of <c>dotnet vertex</c>. Each command lives in Commands/ with its own Create().</summary>
public static class Program
{
    public static Task<int> Main(string[] args) => BuildRoot().Parse(args).InvokeAsync();

    internal static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "dotnet vertex: submit and manage Vertex AI training jobs declared in a .NET project.\n"
            + "Exit codes: 0 success, 1 job failed, 2 bad configuration, 3 authentication, 4 API or build error, 5 job cancelled, 6 local execution failed, 130 interrupted.");
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        return root;
    }
}
