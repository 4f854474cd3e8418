using System.Globalization;
using VertexTraining.Core.Api;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Cloud;

/// <summary>
/// The tasks a job has, from its worker pools: pool N with R replicas has workerpoolN-0 ..
/// workerpoolN-(R-1), the task names Vertex gives its log entries. <c>logs --task worker0</c>
/// would otherwise print nothing and exit 0, as if the task had been silent.
/// </summary>
public static class JobTasks
{
    /// <summary>Every task name of the spec, pool by pool; a pool sent as <c>{}</c> has none.</summary>
    public static IReadOnlyList<string> Of(CustomJobSpec? spec) =>
        [.. (spec?.WorkerPoolSpecs ?? []).SelectMany((pool, index) => Enumerable
            .Range(0, (int)Math.Clamp(pool.MachineSpec is null ? 0 : ReplicaCount(pool), 0, 100_000))
            .Select(replica => string.Create(CultureInfo.InvariantCulture, $"workerpool{index}-{replica}")))];

    /// <summary>
    /// Throws a usage error when <paramref name="task"/> is not one of the spec's tasks. Local tuning
    /// jobs also take <c>trial-N</c>, checked against <paramref name="trialIds"/> when given.
    /// </summary>
    /// <exception cref="VertexCloudException">The job has no such task.</exception>
    public static void RequireKnown(string task, CustomJobSpec? spec, IReadOnlyCollection<string>? trialIds = null)
    {
        if (trialIds is not null && task.StartsWith("trial-", StringComparison.Ordinal))
        {
            // trial-N alone, or trial-N-workerpoolP-R for one replica of one trial.
            var rest = task["trial-".Length..];
            var dash = rest.IndexOf('-', StringComparison.Ordinal);
            var id = dash < 0 ? rest : rest[..dash];
            if (!trialIds.Contains(id))
            {
                throw new VertexCloudException(DiagnosticCodes.InvalidCommandLine,
                    $"--task '{task}': the job has no trial {id}; its trials are {(trialIds.Count == 0 ? "none yet" : string.Join(", ", trialIds.Select(t => $"trial-{t}")))}.");
            }

            if (dash < 0)
            {
                return;
            }

            task = rest[(dash + 1)..];
        }

        var tasks = Of(spec);
        if (tasks.Count > 0 && !tasks.Contains(task, StringComparer.Ordinal))
        {
            throw new VertexCloudException(DiagnosticCodes.InvalidCommandLine,
                $"--task '{task}': the job has no such task; its tasks are {Shorten(tasks)}{(trialIds is null ? "" : ", or trial-N for one trial")}.");
        }
    }

    private static long ReplicaCount(WorkerPoolSpec pool) => pool.ReplicaCount ?? 1;

    private static string Shorten(IReadOnlyList<string> tasks) =>
        tasks.Count <= 8 ? string.Join(", ", tasks) : $"{string.Join(", ", tasks.Take(6))}, ... {tasks[^1]} ({tasks.Count} in all)";
}
