using System.CommandLine;
using System.Globalization;
using VertexTraining.Cli.Cloud;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Cloud.Quotas;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli.Commands;

/// <summary>
/// <c>dotnet vertex quota --request FILE</c>: compares what a job document needs with the project's
/// custom-training limits. SubmitTraining runs it before the image is pushed (VertexQuotaCheck). Exit 0 when the
/// job fits or the limits cannot be read (one warning line), 4 with a VTX4060 line per quota the job exceeds.
/// </summary>
internal static class QuotaCommand
{
    public static Command Create()
    {
        var request = new Option<string>("--request") { Description = "The job document (job-request.json) whose pools to check.", Required = true };
        var endpoint = new Option<string?>("--quota-endpoint")
        {
            Description = $"Cloud Quotas base URL (tests, private endpoints). Default: ${VertexEndpoints.QuotaEndpointVariable}, else {VertexEndpoints.DefaultQuotaEndpoint}.",
        };
        var deadline = new Option<double>("--deadline")
        {
            Description = "Seconds reading the limits may take before the check gives up and says so (1 to 120).",
            DefaultValueFactory = _ => QuotaCheck.DefaultDeadline.TotalSeconds,
        };
        var options = new CloudOptions();
        var command = new Command("quota", "Check a job document against the project's Vertex AI custom-training quotas in its region.") { request, endpoint, deadline };
        command.Options.Add(options.Project);
        command.Options.Add(options.Region);
        command.SetCliAction(async (parse, context, cancellationToken) =>
        {
            var seconds = parse.GetValue(deadline);
            if (!double.IsFinite(seconds) || seconds < 1 || seconds > 120)
            {
                throw new VertexCloudException(DiagnosticCodes.InvalidQuotaDeadline,
                    $"--deadline '{seconds.ToString(CultureInfo.InvariantCulture)}' is not valid: give a number of seconds from 1 to 120 (default {QuotaCheck.DefaultDeadline.TotalSeconds:0}).");
            }

            var document = SubmitCommand.ReadDocument(Path.GetFullPath(parse.GetValue(request)!, context.WorkingDirectory));
            var (project, region) = await JobLocator.ProjectAndRegionAsync(context, parse, options, cancellationToken);
            var baseUri = VertexEndpoints.Quotas(parse.GetValue(endpoint) ?? context.Variable(VertexEndpoints.QuotaEndpointVariable));
            var verbose = parse.GetValue(CommonOptions.Verbose);
            var limit = TimeSpan.FromSeconds(seconds);

            var result = await QuotaCheck.RunAsync(async token =>
            {
                // One attempt within the deadline: a quota check that waits out retries would hold up the submission it is meant to speed up.
                var retry = new RetryPolicy { MaxAttempts = 1, RequestTimeout = limit, Delay = context.Retry.Delay };
                var client = await CloudSession.QuotasAsync(context, baseUri, retry, verbose, token).ConfigureAwait(false);
                return await client.TrainingLimitsAsync(project, region, token).ConfigureAwait(false);
            }, document, limit, cancellationToken);

            return Report(result, project, region, context);
        });
        return command;
    }

    private static int Report(QuotaCheckResult result, string project, string region, CliContext context)
    {
        if (result.Unreadable is { } why)
        {
            context.Err.WriteLine(new VertexDiagnostic(DiagnosticCodes.QuotaUnreadable, "VertexQuotaCheck",
                $"Could not read the project's quotas ({why}); submitting without the quota check. It needs roles/cloudquotas.viewer and the Cloud Quotas API (cloudquotas.googleapis.com) enabled; -p:VertexQuotaCheck=false skips it.",
                IsWarning: true).ToCanonicalString());
            return ExitCodes.Success;
        }

        foreach (var (need, limit) in result.Fits)
        {
            context.Out.WriteLine($"VertexTraining: quota {limit.QuotaId}: the job needs {need.Amount} of {(limit.Limit is { } value ? value.ToString(CultureInfo.InvariantCulture) : "unlimited")} in {region}");
        }

        foreach (var need in result.Unchecked)
        {
            context.Out.WriteLine($"VertexTraining: quota {need.Metric} not checked: the project's quota list for {region} does not have it");
        }

        foreach (var error in result.Errors(project, region))
        {
            context.Err.WriteLine(error.ToCanonicalString());
        }

        return result.Exceeded.Count > 0 ? ExitCodes.ForDiagnostic(DiagnosticCodes.QuotaExceeded) : ExitCodes.Success;
    }
}
