using System.CommandLine;
using System.Text.Json.Nodes;
using VertexTraining.Cli.Cloud;
using VertexTraining.Cli.Output;
using VertexTraining.Core.Cloud;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Cli.Commands;

/// <summary><c>dotnet vertex list</c>: the project's training jobs in a region, filtered and paged.</summary>
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
        var command = new Command("list", "List training jobs (custom and hyperparameter tuning) with their states.")
        {
            state, labels, displayName, filter, kind, limit, pageSize,
        };
        options.AddTo(command);
        command.SetCliAction(async (parse, context, cancellationToken) =>
        {
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

            if (parse.GetValue(options.Json))
            {
                context.Out.WriteLine(Formats.Json(new JsonArray(jobs.Select(j => (JsonNode)j.Resource.DeepClone()).ToArray())));
                return ExitCodes.Success;
            }

            var table = new TextTable("ID", "KIND", "STATE", "CREATED", "DISPLAY NAME");
            foreach (var job in jobs.OrderByDescending(j => j.CreateTime))
            {
                table.Add(job.Name.Id, job.Kind == JobKind.CustomJob ? "custom" : "tuning", JobStates.Short(job.State), Formats.Time(job.CreateTime), job.DisplayName);
            }

            if (table.Count == 0)
            {
                context.Out.WriteLine($"No jobs in {project} / {region}{(expression is null ? "" : $" matching {expression}")}.");
            }
            else
            {
                table.WriteTo(context.Out);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    internal static string? BuildFilter(string? state, IEnumerable<string> labels, string? displayName, string? raw)
    {
        var filter = new JobListFilter();
        if (state is not null)
        {
            if (!JobStates.TryNormalize(state, out var normalized))
            {
                throw new VertexCloudException(DiagnosticCodes.InvalidJobReference,
                    $"--state '{state}' is not a job state; use one of {string.Join(", ", JobStates.All.Select(JobStates.Short))}.");
            }

            filter.State(normalized);
        }

        foreach (var label in labels)
        {
            var equals = label.IndexOf('=');
            filter.Label(equals < 0 ? label : label[..equals], equals < 0 ? null : label[(equals + 1)..]);
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
