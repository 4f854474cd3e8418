using VertexTraining.Core.Configuration;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Local;

/// <summary>
/// The preemption rehearsal of a local run, read once for both ways in: <c>local-run --preempt/--grace-period</c>
/// and the VertexLocalPreempt / VertexLocalGracePeriod properties (checked before anything is built).
/// </summary>
/// <param name="Preemptions">The preemptions, in the order given.</param>
/// <param name="Grace">SIGTERM to kill.</param>
/// <param name="Error">The first bad value, or null.</param>
public sealed record LocalRunRehearsal(IReadOnlyList<PreemptionPlan> Preemptions, TimeSpan Grace, VertexDiagnostic? Error)
{
    /// <summary>Reads the preemptions and the grace period; <paramref name="preemptSubject"/> and <paramref name="graceSubject"/> name them in errors.</summary>
    public static LocalRunRehearsal Read(IEnumerable<string> preemptions, string? grace, string preemptSubject, string graceSubject)
    {
        var plans = new List<PreemptionPlan>();
        foreach (var text in preemptions.Where(p => !string.IsNullOrWhiteSpace(p)))
        {
            if (!PreemptionPlan.TryParse(text, out var plan))
            {
                return new([], LocalRunOptions.DefaultPreemptionGrace, new VertexDiagnostic(DiagnosticCodes.InvalidLocalPreempt, preemptSubject,
                    $"{preemptSubject} has '{text.Trim()}'; expected {PreemptionPlan.ValidForms}."));
            }

            plans.Add(plan);
        }

        var graceValue = LocalRunOptions.DefaultPreemptionGrace;
        if (!string.IsNullOrWhiteSpace(grace)
            && (!DurationParser.TryParse(grace, out graceValue) || graceValue < TimeSpan.Zero || graceValue > TimeSpan.FromHours(1)))
        {
            return new([], LocalRunOptions.DefaultPreemptionGrace, new VertexDiagnostic(DiagnosticCodes.InvalidLocalGracePeriod, graceSubject,
                $"{graceSubject} is '{grace}'; expected a duration from 0s to 1h ({DurationParser.ValidForms}); the default is 30s, the notice Spot VMs get."));
        }

        return new(plans, graceValue, null);
    }

    /// <summary>Checks the two properties of a project with the rest of its configuration.</summary>
    internal static void Validate(JobInputs inputs, DiagnosticBag bag)
    {
        var read = Read(InputReader.SplitList(inputs.Get(VertexProperty.LocalPreempt)), inputs.Get(VertexProperty.LocalGracePeriod),
            VertexProperty.LocalPreempt, VertexProperty.LocalGracePeriod);
        if (read.Error is { } error)
        {
            bag.Error(error.Code, error.Subject, error.Message);
        }
    }
}
