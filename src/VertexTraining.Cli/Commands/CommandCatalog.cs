using System.CommandLine;

namespace VertexTraining.Cli.Commands;

/// <summary>Every top-level command, in the order `--help` lists them. One per line, so merges stay trivial.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All() =>
    [
        SubmitCommand.Create(),
        StatusCommand.Create(),
        WaitCommand.Create(),
        LogsCommand.Create(),
        CancelCommand.Create(),
        ListCommand.Create(),
        TrialsCommand.Create(),
        ReportCommand.Create(),
        LocalRunCommand.Create(),
        AuthCommand.Create(),
        VersionCommand.Create(),
        QuotaCommand.Create(),
    ];
}
