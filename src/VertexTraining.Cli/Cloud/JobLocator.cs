using System.CommandLine;
using System.Text.RegularExpressions;
using VertexTraining.Cli.Commands;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli.Cloud;

/// <summary>
/// Turns a JOB argument into a job: a full resource name stands alone; a bare id needs a project and
/// region (options, else the project file in the current directory, else GOOGLE_CLOUD_PROJECT and
/// us-central1) and is looked up as a custom job, then as a tuning job.
/// </summary>
internal static partial class JobLocator
{
    public const string DefaultRegion = "us-central1";

    [GeneratedRegex(@"^[A-Za-z0-9_-]+$")]
    private static partial Regex BareId();

    /// <summary>The job argument with its description, shared by every JOB command.</summary>
    public static Argument<string> JobArgument() => new("JOB")
    {
        Description = "A job's resource name (projects/P/locations/R/customJobs/ID or .../hyperparameterTuningJobs/ID), or its id with --project/--region.",
    };

    /// <summary>A session for the job's region and the job itself.</summary>
    public static async Task<(CloudSession Session, VertexJob Job, string? ProjectId)> LocateAsync(
        CliContext context, ParseResult parse, CloudOptions options, string jobArgument, CancellationToken cancellationToken)
    {
        var (name, project, region) = await ResolveNameAsync(context, parse, options, jobArgument, cancellationToken).ConfigureAwait(false);
        var session = await CloudSession.CreateAsync(context, name?.Location ?? region!, parse.GetValue(options.ApiEndpoint), parse.GetValue(CommonOptions.Verbose), cancellationToken).ConfigureAwait(false);
        var job = name is not null
            ? await session.Jobs.GetAsync(name, cancellationToken).ConfigureAwait(false)
            : await session.Jobs.FindByIdAsync(project!, region!, jobArgument.Trim(), cancellationToken).ConfigureAwait(false);
        return (session, job, project ?? parse.GetValue(options.Project));
    }

    /// <summary>The project and region for list-style commands that name no job.</summary>
    public static async Task<(string Project, string Region)> ProjectAndRegionAsync(CliContext context, ParseResult parse, CloudOptions options, CancellationToken cancellationToken)
    {
        var project = parse.GetValue(options.Project);
        var region = parse.GetValue(options.Region);
        if (project is null || region is null)
        {
            var (fileProject, fileRegion) = await ProjectProperties.TryReadAsync(context, cancellationToken).ConfigureAwait(false);
            project ??= fileProject ?? context.Variable("GOOGLE_CLOUD_PROJECT");
            region ??= fileRegion;
        }

        if (project is null)
        {
            throw new VertexCloudException(DiagnosticCodes.MissingProject,
                "No Google Cloud project: pass --project, run in a folder whose project file sets VertexProject, or set GOOGLE_CLOUD_PROJECT.");
        }

        return (project, region ?? DefaultRegion);
    }

    private static async Task<(JobName? Name, string? Project, string? Region)> ResolveNameAsync(
        CliContext context, ParseResult parse, CloudOptions options, string jobArgument, CancellationToken cancellationToken)
    {
        if (JobName.TryParse(jobArgument, out var name))
        {
            return (name, null, null);
        }

        if (!BareId().IsMatch(jobArgument.Trim()))
        {
            throw new VertexCloudException(DiagnosticCodes.InvalidJobReference,
                $"'{jobArgument}' is neither a job resource name (projects/P/locations/R/customJobs/ID or .../hyperparameterTuningJobs/ID) nor a job id.");
        }

        var (project, region) = await ProjectAndRegionAsync(context, parse, options, cancellationToken).ConfigureAwait(false);
        return (null, project, region);
    }
}
