using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using VertexTraining.Cli.Cloud;
using VertexTraining.Cli.Local;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Configuration;
using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Local;
using VertexTraining.Core.Serialization;

namespace VertexTraining.Cli.Commands;

/// <summary>
/// <c>dotnet vertex local-run</c>: runs a job document on this machine as Vertex AI would (containers with podman or
/// docker, else processes of the published app). Without <c>--request</c> it publishes the project with
/// <c>-t:SubmitTraining -p:VertexTarget=Local</c>, whose targets call back with the request they wrote.
/// </summary>
internal static class LocalRunCommand
{
    public static Command Create()
    {
        var project = new Argument<string?>("PROJECT")
        {
            Arity = ArgumentArity.ZeroOrOne,
            Description = "The project to publish and run locally (without --request). Default: the project in the current directory.",
        };
        var request = new Option<string?>("--request") { Description = "A job-request.json (CustomJob or HyperparameterTuningJob) to run." };
        var app = new Option<string?>("--app") { Description = "The published linux-x64 executable; each replica runs as a process of it in process mode." };
        var archive = new Option<string?>("--image-archive") { Description = "The image archive the SDK built (image.tar.gz); loaded into podman or docker for container mode." };
        var image = new Option<string?>("--image") { Description = "An image in podman's or docker's local store standing for the app's image." };
        var pull = new Option<bool>("--pull") { Description = "Pull --image into podman or docker first (what the build does with the layered image in its loopback registry)." };
        var mode = new Option<string>("--mode")
        {
            Description = "auto (containers when podman or docker works and an image is given, else processes), container, or process.",
            DefaultValueFactory = _ => "auto",
        };
        mode.AcceptOnlyFromAmong("auto", "container", "process");
        var runDirectory = new Option<string?>("--run-dir") { Description = "Where to keep the run (job.json, logs, outputs). Default: runs/<id> beside the request." };
        var gpus = new Option<string?>("--gpus")
        {
            Description = "'all' passes this machine's GPUs to the replicas and keeps VERTEX_ACCELERATOR_COUNT; by default it is set to 0 so the GPU check passes on machines without GPUs.",
        };
        gpus.AcceptOnlyFromAmong("all", "none");
        var seed = new Option<int?>("--seed") { Description = "Seed of the tuning search, to repeat a run's choice of trials." };
        var json = new Option<bool>("--json") { Description = "Write the final job (and run folder, mode, exit code) as JSON to stdout; everything else goes to stderr." };
        var preempt = new Option<string[]>("--preempt")
        {
            Description = $"Rehearse a preemption: {PreemptionPlan.ValidForms}. The replica gets SIGTERM at that moment, is killed after --grace-period, and is restarted as Vertex AI restarts a worker. Repeatable.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var gracePeriod = new Option<string?>("--grace-period")
        {
            Description = "How long a preempted replica gets between SIGTERM and the kill, e.g. 30s (the default: the notice Spot VMs get) or 5s.",
        };
        var resume = new Option<string?>("--resume")
        {
            Description = "Continue a local tuning job, local/<id>, in its run folder: finished trials are kept, interrupted ones run again, new ones run up to VertexMaxTrialCount (raise it to extend the study).",
        };
        var warmStart = new Option<string[]>("--warm-start")
        {
            Description = "An earlier tuning job, local/<id> or projects/P/locations/R/hyperparameterTuningJobs/ID, whose succeeded trials seed this study's search (VertexTuningWarmStart). Repeatable.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var mount = new Option<string[]>("--mount")
        {
            Description = $"A local folder for a share of the job, {SharedMounts.ValidForm}: bind-mounted there in container mode (default: a folder of the run). Repeatable.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var property = new Option<string[]>("--property", "-p")
        {
            Description = "An MSBuild property for the publish (without --request), as -p:Name=Value.",
            Arity = ArgumentArity.ZeroOrMore,
        };

        var command = new Command("local-run", "Run a job on this machine as Vertex AI would: each replica as a container (podman or docker) or a process, with CLUSTER_SPEC, TF_CONFIG and AIP_* set; tuning jobs run their trials locally.")
        {
            project, request, app, archive, image, pull, mode, runDirectory, gpus, seed, json, property, preempt, gracePeriod, resume, warmStart, mount,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = CliContext.Current;
            var requestPath = parse.GetValue(request);
            if (requestPath is null)
            {
                if (parse.GetValue(json))
                {
                    // The build prints the run as it goes; its record is read afterwards (status --json).
                    context.Err.WriteLine(new VertexDiagnostic(DiagnosticCodes.InvalidCommandLine, "local-run",
                        "--json needs --request; for a PROJECT, run it and then 'dotnet vertex status local/<id> --json' (the id is printed by the run).").ToCanonicalString());
                    return ExitCodes.BadConfiguration;
                }

                if (parse.GetValue(mount) is { Length: > 0 })
                {
                    // A project names its folders itself, as LocalPath metadata of its VertexNfsMount / VertexLustreMount items.
                    context.Err.WriteLine(new VertexDiagnostic(DiagnosticCodes.InvalidCommandLine, "local-run",
                        "--mount needs --request; for a PROJECT, set LocalPath on its VertexNfsMount or VertexLustreMount items.").ToCanonicalString());
                    return ExitCodes.BadConfiguration;
                }

                // The targets write the request and call back with --request; a chosen mode travels as their property.
                List<string> properties = [.. parse.GetValue(property) ?? [], "VertexTarget=Local"];
                if (parse.GetValue(mode) is "container" or "process")
                {
                    properties.Add($"VertexLocalMode={parse.GetValue(mode)}");
                }

                // Checked by the build like the properties they become, before anything is built.
                if (parse.GetValue(preempt) is { Length: > 0 } plans)
                {
                    properties.Add($"VertexLocalPreempt={string.Join("%3B", plans)}");
                }

                if (parse.GetValue(gracePeriod) is { } grace)
                {
                    properties.Add($"VertexLocalGracePeriod={grace}");
                }

                // The run's own options travel as the properties the targets pass back to local-run.
                if (parse.GetValue(gpus) is { } gpuChoice)
                {
                    properties.Add($"VertexLocalGpus={gpuChoice}");
                }

                if (parse.GetValue(seed) is { } chosenSeed)
                {
                    properties.Add($"VertexLocalSeed={chosenSeed.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
                }

                if (Resolve(context, parse.GetValue(runDirectory)) is { } folder)
                {
                    properties.Add($"VertexLocalRunDirectory={folder}");
                }

                if (parse.GetValue(resume) is { } continued)
                {
                    properties.Add($"VertexResume={continued}");
                }

                if (parse.GetValue(warmStart) is { Length: > 0 } earlier)
                {
                    properties.Add($"VertexTuningWarmStart={string.Join("%3B", earlier)}");
                }

                if (parse.GetValue(CommonOptions.Verbose))
                {
                    properties.Add($"VertexLocalVerbosity={LocalVerbosity.Detailed}");
                }

                return await PublishRunner.RunAsync(context, parse.GetValue(project), properties, json: false, cancellationToken).ConfigureAwait(false);
            }

            var options = new LocalRunSettings(
                Resolve(context, requestPath)!,
                Resolve(context, parse.GetValue(app)),
                Resolve(context, parse.GetValue(archive)),
                parse.GetValue(image),
                parse.GetValue(pull),
                parse.GetValue(mode) switch { "container" => ExecutionMode.Container, "process" => ExecutionMode.Process, _ => ExecutionMode.Auto },
                Resolve(context, parse.GetValue(runDirectory)),
                parse.GetValue(gpus) == "all",
                parse.GetValue(seed),
                parse.GetValue(json),
                parse.GetValue(preempt) ?? [],
                parse.GetValue(gracePeriod),
                parse.GetValue(resume),
                parse.GetValue(warmStart) ?? [],
                parse.GetValue(CommonOptions.Verbose),
                parse.GetValue(mount) ?? []);
            return await RunAsync(context, options, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>The exit code of a local run: the same as the cloud's for the same final state.</summary>
    public static int ExitCodeFor(LocalRunResult result) => result.End switch
    {
        LocalRunEnd.Succeeded => ExitCodes.Success,
        LocalRunEnd.Failed => ExitCodes.JobFailed,
        LocalRunEnd.Cancelled => result.Interrupted ? ExitCodes.Interrupted : ExitCodes.JobCancelled,
        LocalRunEnd.CouldNotRun when result.IsConfigurationError => ExitCodes.BadConfiguration,
        _ => ExitCodes.LocalExecutionFailed,
    };

    private static async Task<int> RunAsync(CliContext context, LocalRunSettings settings, CancellationToken cancellationToken)
    {
        JobDocument document;
        try
        {
            document = JobDocument.Parse(await File.ReadAllTextAsync(settings.RequestPath, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or FormatException)
        {
            context.Err.WriteLine(new VertexDiagnostic(DiagnosticCodes.LocalRequestUnreadable, "--request",
                $"The job document {settings.RequestPath} cannot be read: {e.Message}").ToCanonicalString());
            return ExitCodes.BadConfiguration;
        }

        var rehearsal = LocalRunRehearsal.Read(settings.Preemptions, settings.GracePeriod, "--preempt", "--grace-period");
        if (rehearsal.Error is { } invalid)
        {
            context.Err.WriteLine(invalid.ToCanonicalString());
            return ExitCodes.BadConfiguration;
        }

        var mountFolders = SharedMounts.ReadFolders(settings.MountFolders, context.WorkingDirectory, "--mount");
        if (mountFolders.Error is { } badMount)
        {
            context.Err.WriteLine(badMount.ToCanonicalString());
            return ExitCodes.BadConfiguration;
        }

        Dictionary<string, Core.Api.HyperparameterTuningJob> cloudStudies;
        try
        {
            cloudStudies = await ReadCloudStudiesAsync(context, settings.WarmStart, cancellationToken).ConfigureAwait(false);
        }
        catch (VertexCloudException e)
        {
            context.Err.WriteLine(e.ToDiagnostic().ToCanonicalString());
            return ExitCodes.ForDiagnostic(e.Code);
        }

        var output = new ConsoleRunOutput(settings.Json ? context.Err : context.Out, context.Err);
        var options = new LocalRunOptions
        {
            Document = document,
            RequestPath = settings.RequestPath,
            AppPath = settings.AppPath,
            ImageArchive = settings.ImageArchive,
            Image = settings.Image,
            PullImage = settings.PullImage,
            Mode = settings.Mode,
            RunDirectory = settings.RunDirectory,
            PassGpus = settings.PassGpus,
            MountFolders = mountFolders.Folders,
            Seed = settings.Seed,
            Preemptions = rehearsal.Preemptions,
            PreemptionGrace = rehearsal.Grace,
            Resume = settings.Resume,
            WarmStart = settings.WarmStart,
            WarmStartCloudJobs = cloudStudies,
            Store = JobLocator.LocalStore(context),
            StreamAllTaskOutput = settings.Verbose,
        };

        // Ctrl-C cancels the token; the runner then stops every replica. The command-line library ends the
        // process a few seconds after a signal even if the action is still cleaning up, so process exit waits
        // for the run to finish stopping containers and processes.
        var run = LocalJobRunner.RunAsync(options, output, cancellationToken);
        using var exitGuard = new ProcessExitGuard(run, TimeSpan.FromSeconds(60));
        LocalRunResult result;
        try
        {
            result = await run.ConfigureAwait(false);
        }
        catch (LocalRunException e)
        {
            context.Err.WriteLine(e.ToDiagnostic().ToCanonicalString());
            return e.IsConfigurationError ? ExitCodes.BadConfiguration : ExitCodes.LocalExecutionFailed;
        }

        var exitCode = ExitCodeFor(result);
        if (settings.Json)
        {
            var resource = JsonNode.Parse(result.TuningJob is not null ? VertexJson.Serialize(result.TuningJob) : VertexJson.Serialize(result.CustomJob));
            var summary = new JsonObject
            {
                ["name"] = result.Name,
                ["state"] = result.State,
                ["runDirectory"] = result.Folder.Root,
                ["mode"] = result.Mode.ToString().ToLowerInvariant(),
                ["modeReason"] = result.ModeReason,
                ["exitCode"] = exitCode,
                ["job"] = resource,
            };
            context.Out.WriteLine(summary.ToJsonString(VertexJson.Options));
        }

        return exitCode;
    }

    /// <summary>
    /// The cloud HyperparameterTuningJobs among the warm-start studies, read with get (which returns their trials),
    /// authenticated as every cloud command is; the API endpoint follows the job's region (VERTEX_API_ENDPOINT overrides).
    /// </summary>
    private static async Task<Dictionary<string, Core.Api.HyperparameterTuningJob>> ReadCloudStudiesAsync(
        CliContext context, IReadOnlyList<string> references, CancellationToken cancellationToken)
    {
        var studies = new Dictionary<string, Core.Api.HyperparameterTuningJob>(StringComparer.Ordinal);
        var sessions = new Dictionary<string, CloudSession>(StringComparer.Ordinal); // one token per region, not per study
        foreach (var reference in references.Where(r => !LocalJobName.IsLocal(r)))
        {
            if (!JobName.TryParse(reference, out var name) || name.Kind != JobKind.HyperparameterTuningJob)
            {
                continue; // the runner refuses it with what it takes (VTX5053)
            }

            if (!sessions.TryGetValue(name.Location, out var session))
            {
                sessions[name.Location] = session = await CloudSession.CreateAsync(context, name.Location, null, verbose: false, cancellationToken).ConfigureAwait(false);
            }

            var job = await session.Jobs.GetAsync(name, cancellationToken).ConfigureAwait(false);
            if (job.TuningJob is { } tuning)
            {
                studies[reference] = tuning;
            }
        }

        return studies;
    }

    private static string? Resolve(CliContext context, string? path) =>
        path is null ? null : Path.GetFullPath(path, context.WorkingDirectory);

    private sealed record LocalRunSettings(
        string RequestPath,
        string? AppPath,
        string? ImageArchive,
        string? Image,
        bool PullImage,
        ExecutionMode Mode,
        string? RunDirectory,
        bool PassGpus,
        int? Seed,
        bool Json,
        IReadOnlyList<string> Preemptions,
        string? GracePeriod,
        string? Resume,
        IReadOnlyList<string> WarmStart,
        bool Verbose,
        IReadOnlyList<string> MountFolders);
}
