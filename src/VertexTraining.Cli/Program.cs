using System.CommandLine;
using VertexTraining.Cli.Commands;
using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Local;

namespace VertexTraining.Cli;

/// <summary>Entry point of <c>dotnet vertex</c>. Each command lives in Commands/ with its own Create().</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var signals = new SignalCancellation();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(signals.Token);

        // Started by the build: when the build is killed, stop too (a local run stops its replicas on the way out).
        _ = ParentProcessWatch.WaitForExitAsync(Environment.GetEnvironmentVariable(ParentProcessWatch.Variable), stop.Token)
            .ContinueWith(ended => { if (ended.IsCompletedSuccessfully) { stop.Cancel(); } }, TaskScheduler.Default);
        return await RunAsync(args, CliContext.CreateDefault(), stop.Token).ConfigureAwait(false);
    }

    /// <summary>Runs one command line in <paramref name="context"/> (the process's console, or a test's).</summary>
    internal static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        CliContext.Current = context;
        var configuration = new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Err,
            // Signals are Main's SignalCancellation: they cancel the command's token (a follower then says how to
            // re-attach and returns 130; a local run stops everything first), and never end the process mid-way.
            ProcessTerminationTimeout = null,
        };
        var parse = BuildRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            return ReportUsageErrors(parse, context.Err);
        }

        return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    // System.CommandLine would print these and exit 1, which scripts read as "job FAILED": a command line
    // it cannot parse is a usage error, coded and exit 2 like every other bad input.
    private static int ReportUsageErrors(ParseResult parse, TextWriter error)
    {
        foreach (var problem in parse.Errors)
        {
            error.WriteLine(new VertexDiagnostic(DiagnosticCodes.InvalidCommandLine, "dotnet-vertex", problem.Message).ToCanonicalString());
        }

        var path = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            path.Insert(0, result.Command is RootCommand ? "dotnet vertex" : result.Command.Name);
        }

        error.WriteLine($"VertexTraining: see '{string.Join(' ', path)} --help' for the commands and options.");
        return ExitCodes.BadConfiguration;
    }

    internal static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "dotnet vertex: submit and manage Vertex AI training jobs declared in a .NET project.\n"
            + $"Exit codes: {ExitCodes.Describe()}.");
        root.Options.Add(CommonOptions.Verbose);
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        return root;
    }
}
