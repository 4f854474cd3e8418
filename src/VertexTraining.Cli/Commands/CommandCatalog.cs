using System.CommandLine;

namespace VertexTraining.Cli.Commands;

/// <summary>Every top-level command, in the order `--help` lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All() =>
    [
        VersionCommand.Create(),
    ];
}
