using System.CommandLine;
using System.Text.Json.Nodes;
using VertexTraining.Cli.Cloud;
using VertexTraining.Cli.Output;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Local;
using VertexTraining.Core.Output;

namespace VertexTraining.Cli.Commands;

/// <summary>
/// <c>dotnet vertex list</c>: the project's training jobs in a region, filtered and paged; with <c>--local</c>, the jobs
/// local-run ran on this machine instead (no credentials, no network), in the same table.
/// </summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var options = new CloudOptions();
        var state = new Option<string?>("--state") { Description = "Only jobs in this state: QUEUED, PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLING, CANCELLED, PAUSED, EXPIRED." };
        var labels = new Option<string[]>("--label")
        {
            Description = "Only jobs with this label: key=value, or key for any value. Repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var displayName = new Option<string?>("--display-name") { Description = "Only jobs with this display name; '*' matches any text (e.g. 'moons-*')." };
        var filter = new Option<string?>("--filter") { Description = "A raw Vertex AI list filter, e.g. 'create_time>\"2026-01-01T00:00:00Z\"', combined with the options above by AND." };
        var kind = new Option<string>("--kind") { Description = "Which jobs: custom, tuning or all.", DefaultValueFactory = _ => "all" };
        kind.AcceptOnlyFromAmong("custom", "tuning", "all");
        var limit = new Option<int?>("--limit") { Description = "Stop after this many jobs (per kind)." };
        var pageSize = new Option<int?>("--page-size") { Description = "Jobs per request; every page is read until --limit." };
        var local = new Option<bool>("--local")
        {
            Description = "List the jobs run on this machine by local-run (ids local/ID, usable with status, wait, logs, trials, cancel) instead of Vertex AI's; needs no credentials. --state, --label, --display-name, --kind and --limit apply; --filter does not.",
        };
        var command = new Command("list", "List training jobs (custom and hyperparameter tuning) with their states; --local lists the jobs run on this machine by local-run.")
        {
            state, labels, displayName, filter, kind, limit, pageSize, local,
        };
        options.AddTo(command);
        command.SetCliAction(async (parse, context, cancellationToken) =>
        {
            if (parse.GetValue(local))
            {
                if (!string.IsNullOrWhiteSpace(parse.GetValue(filter)))
                {
                    throw new VertexCloudException(DiagnosticCodes.InvalidJobReference,
                        "--filter is a Vertex AI list filter and does not apply to --local; use --state, --label, --display-name or --kind.");
                }

                var store = JobLocator.LocalStore(context);
                var localJobs = LocalJobs(store, parse.GetValue(state), parse.GetValue(labels) ?? [], parse.GetValue(displayName), parse.GetValue(kind), parse.GetValue(limit));
                return Print(context, parse.GetValue(options.Json), localJobs, $"No local jobs in {store.IndexDirectory}.");
            }

            var (project, region) = await JobLocator.ProjectAndRegionAsync(context, parse, options, cancellationToken);
            var expression = BuildFilter(parse.GetValue(state), parse.GetValue(labels) ?? [], parse.GetValue(displayName), parse.GetValue(filter));
            var session = await CloudSession.CreateAsync(context, region, parse.GetValue(options.ApiEndpoint), parse.GetValue(CommonOptions.Verbose), cancellationToken);
            var kinds = parse.GetValue(kind) switch
            {
                "custom" => new[] { JobKind.CustomJob },
                "tuning" => [JobKind.HyperparameterTuningJob],
                _ => [JobKind.CustomJob, JobKind.HyperparameterTuningJob],
            };

            var jobs = new List<VertexJob>();
            foreach (var jobKind in kinds)
            {
                var count = 0;
                await foreach (var job in session.Jobs.ListAllAsync(project, region, jobKind, expression, parse.GetValue(pageSize), cancellationToken))
                {
                    jobs.Add(job);
                    if (++count == parse.GetValue(limit))
                    {
                        break;
                    }
                }
            }

            return Print(context, parse.GetValue(options.Json), jobs.Select(j => JobView.FromCloud(j)).ToList(),
                $"No jobs in {project} / {region}{(expression is null ? "" : $" matching {expression}")}.");
        });
        return command;
    }

    /// <summary>The one rendering of a job list, cloud or local: a table newest first, or a JSON array of the resources.</summary>
    private static int Print(CliContext context, bool json, IReadOnlyList<JobView> jobs, string whenEmpty)
    {
        if (json)
        {
            context.Out.WriteLine(Formats.Json(new JsonArray(jobs.Select(j => (JsonNode)j.Resource.DeepClone()).ToArray())));
            return ExitCodes.Success;
        }

        var table = new TextTable("ID", "KIND", "STATE", "CREATED", "DISPLAY NAME");
        foreach (var job in jobs.OrderByDescending(j => j.CreateTime))
        {
            table.Add(job.Id, job.Kind == JobKind.CustomJob ? "custom" : "tuning", JobStates.Short(job.State), Formats.Time(job.CreateTime), job.DisplayName);
        }

        if (table.Count == 0)
        {
            context.Out.WriteLine(whenEmpty);
        }
        else
        {
            table.WriteTo(context.Out);
        }

        return ExitCodes.Success;
    }

    /// <summary>The indexed local jobs that pass the same filters the cloud list applies server-side.</summary>
    private static List<JobView> LocalJobs(LocalJobStore store, string? state, IEnumerable<string> labels, string? displayName, string? kind, int? limit)
    {
        var wantedState = NormalizedState(state);
        var namePattern = string.IsNullOrWhiteSpace(displayName)
            ? null
            : new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(displayName).Replace("\\*", ".*", StringComparison.Ordinal) + "$");
        var labelFilters = labels.Select(ParseLabel).ToList();

        var jobs = new List<JobView>();
        foreach (var record in store.List())
        {
            JobView job;
            try
            {
                job = JobView.FromLocal(record.Read());
            }
            catch (LocalRunException)
            {
                // A run folder being deleted or half-written does not spoil the list.
                continue;
            }

            var matches = (wantedState is null || job.State == wantedState)
                && (kind is null or "all" || (kind == "custom") == (job.Kind == JobKind.CustomJob))
                && (namePattern is null || (job.DisplayName is { } name && namePattern.IsMatch(name)))
                && labelFilters.All(f => job.Labels.TryGetValue(f.Key, out var value) && (f.Value is null || f.Value == value));
            if (matches)
            {
                jobs.Add(job);
            }
        }

        return limit is { } most ? [.. jobs.OrderByDescending(j => j.CreateTime).Take(most)] : jobs;
    }

    /// <summary>--state as the API spells it (JOB_STATE_...), null when not given.</summary>
    /// <exception cref="VertexCloudException">Not a job state.</exception>
    private static string? NormalizedState(string? state)
    {
        if (state is null)
        {
            return null;
        }

        return JobStates.TryNormalize(state, out var normalized)
            ? normalized
            : throw new VertexCloudException(DiagnosticCodes.InvalidCommandLine,
                $"--state '{state}' is not a job state; use one of {string.Join(", ", JobStates.All.Select(JobStates.Short))}.");
    }

    /// <summary>--label key=value, or key alone for any value.</summary>
    private static (string Key, string? Value) ParseLabel(string label) =>
        label.IndexOf('=') is var equals and >= 0 ? (label[..equals], label[(equals + 1)..]) : (label, null);

    internal static string? BuildFilter(string? state, IEnumerable<string> labels, string? displayName, string? raw)
    {
        var filter = new JobListFilter();
        if (NormalizedState(state) is { } normalized)
        {
            filter.State(normalized);
        }

        foreach (var (key, value) in labels.Select(ParseLabel))
        {
            filter.Label(key, value);
        }

        if (!string.IsNullOrWhiteSpace(displayName))
        {
            filter.DisplayName(displayName);
        }

        if (!string.IsNullOrWhiteSpace(raw))
        {
            filter.Raw(raw);
        }

        return filter.Build();
    }
}
