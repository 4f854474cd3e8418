using System.CommandLine;
using VertexTraining.Cli.Cloud;
using VertexTraining.Cli.Output;
using VertexTraining.Core.Cloud;

namespace VertexTraining.Cli.Commands;

/// <summary><c>dotnet vertex cancel JOB</c>: asks Vertex AI to cancel a job (asynchronous; the job is not deleted).</summary>
internal static class CancelCommand
{
    public static Command Create()
    {
        var job = JobLocator.JobArgument();
        var options = new CloudOptions();
        var command = new Command("cancel", "Cancel a job. Cancellation is asynchronous: the job moves to CANCELLING, then usually CANCELLED.") { job };
        options.AddTo(command);
        command.SetCliAction(async (parse, context, cancellationToken) =>
        {
            var (session, found, _) = await JobLocator.LocateAsync(context, parse, options, parse.GetValue(job)!, cancellationToken);
            if (JobStates.IsTerminal(found.State))
            {
                context.Err.WriteLine($"VertexTraining: {found.Name} already ended {JobStates.Short(found.State)}; nothing to cancel.");
                if (parse.GetValue(options.Json))
                {
                    context.Out.WriteLine(Formats.Json(found.Resource));
                }

                return ExitCodes.Success;
            }

            await session.Jobs.CancelAsync(found.Name, cancellationToken);
            var after = await session.Jobs.GetAsync(found.Name, cancellationToken);
            if (parse.GetValue(options.Json))
            {
                context.Out.WriteLine(Formats.Json(after.Resource));
            }
            else
            {
                context.Out.WriteLine($"VertexTraining: cancellation requested for {after.Name} (now {JobStates.Short(after.State)})");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
