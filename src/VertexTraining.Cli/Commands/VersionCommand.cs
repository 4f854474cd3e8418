using System.CommandLine;
using System.Reflection;

namespace VertexTraining.Cli.Commands;

/// <summary><c>dotnet vertex version</c>: prints the tool's version.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the version of dotnet vertex.");
        command.SetAction(_ =>
        {
            var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            Console.WriteLine(version);
            return ExitCodes.Success;
        });
        return command;
    }
}
