using System.CommandLine;
using VertexTraining.Cli.Cloud;
using VertexTraining.Cli.Output;
using VertexTraining.Core.Cloud;

namespace VertexTraining.Cli.Commands;

/// <summary>
/// <c>dotnet vertex cancel JOB</c>: asks Vertex AI to cancel a job (asynchronous; the job is not deleted), or the
/// local-run process of a local job (<c>local/&lt;id&gt;</c>) to stop it.
/// </summary>
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
            var located = await JobLocator.FindAsync(context, parse, options, parse.GetValue(job)!, cancellationToken);
            var found = located.View;
            if (JobStates.IsTerminal(found.State))
            {
                context.Err.WriteLine($"VertexTraining: {found.Name} already ended {JobStates.Short(found.State)}; nothing to cancel.");
                if (parse.GetValue(options.Json))
                {
                    context.Out.WriteLine(Formats.Json(found.Resource));
                }

                return ExitCodes.Success;
            }

            JobView after;
            if (located.LocalJob is { } local)
            {
                // The local-run process watches for this request and ends the job CANCELLED, stopping its replicas.
                local.RequestCancel();
                after = JobView.FromLocal(local.Read());
            }
            else
            {
                await located.Session!.Jobs.CancelAsync(located.CloudJob!.Name, cancellationToken);
                after = JobView.FromCloud(await located.Session.Jobs.GetAsync(located.CloudJob.Name, cancellationToken));
            }

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
