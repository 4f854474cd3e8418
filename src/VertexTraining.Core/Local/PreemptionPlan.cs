using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using VertexTraining.Core.Configuration;

namespace VertexTraining.Core.Local;

/// <summary>
/// One rehearsed preemption: at <see cref="After"/> the replica <see cref="Task"/> (of trial <see cref="TrialId"/>
/// in a tuning job) gets SIGTERM, is killed after the grace period, and is restarted as Vertex restarts a worker.
/// Written <c>workerpool0-0@30s</c>, or <c>trial-2/workerpool0-0@30s</c> for a trial (then counted from the trial's start).
/// </summary>
/// <param name="TrialId">The trial, or null for a custom job's replica.</param>
/// <param name="Task">The replica's task name, <c>workerpool&lt;pool&gt;-&lt;index&gt;</c>.</param>
/// <param name="After">When, from the start of the job (or of the trial).</param>
public sealed partial record PreemptionPlan(string? TrialId, string Task, TimeSpan After)
{
    /// <summary>The forms, for messages and help.</summary>
    public const string ValidForms = "TASK@AFTER, e.g. workerpool0-0@30s or workerpool1-0@2m, or trial-N/TASK@AFTER for a tuning trial (AFTER counted from the trial's start)";

    [GeneratedRegex(@"^(trial-(?<trial>[1-9][0-9]{0,5})/)?(?<task>workerpool[0-3]-[0-9]{1,4})@(?<after>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Form();

    /// <summary>Reads one preemption.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out PreemptionPlan? plan)
    {
        plan = null;
        var match = Form().Match(text.Trim());
        if (!match.Success || !DurationParser.TryParse(match.Groups["after"].Value, out var after) || after < TimeSpan.Zero)
        {
            return false;
        }

        plan = new PreemptionPlan(match.Groups["trial"].Success ? match.Groups["trial"].Value : null, match.Groups["task"].Value, after);
        return true;
    }

    /// <summary>The written form.</summary>
    public override string ToString() =>
        (TrialId is null ? "" : $"trial-{TrialId}/") + Task + "@" + DurationText.Describe(After);
}
