using System.CommandLine;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Local;

namespace VertexTraining.Cli.Commands;

/// <summary>
/// Runs a command's action in its <see cref="CliContext"/> and turns every VTX problem into its
/// canonical one-line diagnostic on stderr and the documented exit code.
/// </summary>
internal static class CommandActions
{
    public static void SetCliAction(this Command command, Func<ParseResult, CliContext, CancellationToken, Task<int>> action)
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = CliContext.Current;
            try
            {
                return await action(parse, context, cancellationToken).ConfigureAwait(false);
            }
            catch (VertexCloudException e)
            {
                context.Err.WriteLine(e.ToDiagnostic().ToCanonicalString());
                return ExitCodes.ForDiagnostic(e.Code);
            }
            catch (LocalRunException e)
            {
                // A local job's record could not be read (status, logs, ... of local/<id>).
                context.Err.WriteLine(e.ToDiagnostic().ToCanonicalString());
                return ExitCodes.ForDiagnostic(e.Code);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                context.Err.WriteLine("VertexTraining: interrupted.");
                return ExitCodes.Interrupted;
            }
        });
    }
}
