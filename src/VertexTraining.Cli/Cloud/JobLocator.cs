using System.CommandLine;
using System.Text.RegularExpressions;
using VertexTraining.Cli.Commands;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Local;

namespace VertexTraining.Cli.Cloud;

/// <summary>
/// Turns a JOB argument into a job: a full resource name stands alone; a bare id needs a project and
/// region (options, else the project file in the current directory, else GOOGLE_CLOUD_PROJECT and
/// us-central1) and is looked up as a custom job, then as a tuning job. <c>local/&lt;id&gt;</c> names a job run by
/// <c>local-run</c> on this machine: it is read from the local job index, with no credentials and no network.
/// </summary>
internal static partial class JobLocator
{
    public const string DefaultRegion = Core.Configuration.JobDocumentBuilder.DefaultRegion;

    [GeneratedRegex(@"^[A-Za-z0-9_-]+$")]
    private static partial Regex BareId();

    /// <summary>The job argument with its description, shared by every JOB command.</summary>
    public static Argument<string> JobArgument() => new("JOB")
    {
        Description = "A job's resource name (projects/P/locations/R/customJobs/ID or .../hyperparameterTuningJobs/ID), its id with --project/--region, or local/ID for a job run by local-run on this machine.",
    };

    /// <summary>The job a JOB argument names, cloud or local, with what the command needs to go on with it.</summary>
    public static async Task<LocatedJob> FindAsync(CliContext context, ParseResult parse, CloudOptions options, string jobArgument, CancellationToken cancellationToken)
    {
        if (LocalJobStore.IsLocalJobName(jobArgument))
        {
            var record = FindLocal(context, jobArgument);
            var snapshot = record.Read();
            return new LocatedJob(JobView.FromLocal(snapshot), null, null, record, snapshot);
        }

        try
        {
            var (session, job, projectId) = await LocateAsync(context, parse, options, jobArgument, cancellationToken).ConfigureAwait(false);
            return new LocatedJob(JobView.FromCloud(job, projectId), session, job, null, null);
        }
        catch (VertexCloudException e) when (e.Code is DiagnosticCodes.MissingProject or DiagnosticCodes.InvalidJobReference
            && LocalStore(context).Find($"{LocalJobName.Prefix}{jobArgument.Trim()}") is not null)
        {
            // The id of a job run by local-run, written without its prefix: say so instead of only asking for a project.
            throw new VertexCloudException(e.Code, $"{e.Message} A local job has this id: use {LocalJobName.Prefix}{jobArgument.Trim()}.", e);
        }
    }

    /// <summary>The local job store, at the index folder this command's environment names.</summary>
    // Through the command's environment, not the process's: tests run commands in process.
    public static LocalJobStore LocalStore(CliContext context) => new(LocalJobStore.DefaultIndexDirectory(context.Variable));

    /// <summary>The local job <paramref name="jobArgument"/> (<c>local/&lt;id&gt;</c>) names.</summary>
    /// <exception cref="VertexCloudException">The index does not know it (VTX5014).</exception>
    public static LocalJobRecord FindLocal(CliContext context, string jobArgument)
    {
        var store = LocalStore(context);
        return store.Find(jobArgument) ?? throw new VertexCloudException(DiagnosticCodes.LocalJobNotFound,
            $"No local job '{jobArgument.Trim()}' in the local job index {store.IndexDirectory} (see 'dotnet vertex list --local'; ${LocalJobStore.IndexVariable} moves the index).");
    }

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
        string projectSource = "--project", regionSource = "--region";
        if (project is null || region is null)
        {
            var (fileProject, fileRegion) = await ProjectProperties.TryReadAsync(context, cancellationToken).ConfigureAwait(false);
            if (project is null)
            {
                project = fileProject ?? context.Variable("GOOGLE_CLOUD_PROJECT");
                projectSource = fileProject is not null ? "The project file's VertexProject" : "GOOGLE_CLOUD_PROJECT";
            }

            if (region is null)
            {
                region = fileRegion;
                regionSource = "The project file's VertexRegion";
            }
        }

        if (project is null)
        {
            throw new VertexCloudException(DiagnosticCodes.MissingProject,
                "No Google Cloud project: pass --project, run in a folder whose project file sets VertexProject, or set GOOGLE_CLOUD_PROJECT.");
        }

        // Both end up in the request URL (the region in its host), so they are checked where they enter.
        return (CloudNameSegments.Project(project, projectSource), region is null ? DefaultRegion : CloudNameSegments.Region(region, regionSource));
    }

    private static async Task<(JobName? Name, string? Project, string? Region)> ResolveNameAsync(
        CliContext context, ParseResult parse, CloudOptions options, string jobArgument, CancellationToken cancellationToken)
    {
        if (JobName.LooksLikeName(jobArgument))
        {
            // Parse, not TryParse: a name with a bad segment gets an error naming that segment.
            return (JobName.Parse(jobArgument), null, null);
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

/// <summary>A job found by <see cref="JobLocator.FindAsync"/>: its view, and either its cloud session and job or its local record.</summary>
/// <param name="View">What the commands print.</param>
/// <param name="Session">The cloud session, for a cloud job.</param>
/// <param name="CloudJob">The cloud job, for a cloud job.</param>
/// <param name="LocalJob">The local record, for a local job.</param>
/// <param name="LocalSnapshot">
/// The local job's job.json as read to find it: commands that only look at the job use it rather than read the
/// file again; those that follow a running job read it afresh through <paramref name="LocalJob"/>.
/// </param>
internal sealed record LocatedJob(JobView View, CloudSession? Session, VertexJob? CloudJob, LocalJobRecord? LocalJob, LocalJobSnapshot? LocalSnapshot);
