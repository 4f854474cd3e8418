namespace VertexTraining.Core.Cloud;

/// <summary>
/// What to tell the user, once, about a job that stays QUEUED or PENDING: Vertex does not say why a job waits,
/// and the usual reasons (docs/quotas.md, with its sources: "a job stays JOB_STATE_QUEUED while the project lacks custom-training
/// quota"; no capacity for the machine in the region) each have a known way out.
/// </summary>
public static class WaitingJobAdvice
{
    /// <summary>How long a job may wait before the advice is given; provisioning a GPU VM takes a few minutes.</summary>
    public static readonly TimeSpan DefaultThreshold = TimeSpan.FromMinutes(5);

    /// <summary>The lines to print, or none for a state that is not a wait.</summary>
    /// <param name="jobId">The job's id, as the state lines name it.</param>
    /// <param name="state">QUEUED or PENDING.</param>
    /// <param name="waited">How long it has been seen in that state.</param>
    public static IReadOnlyList<string> For(string jobId, string? state, TimeSpan waited)
    {
        var reason = state switch
        {
            JobStates.Queued => "Vertex keeps a job QUEUED while the custom-training quota it needs in the region is held by other jobs of the "
                + "project, or is below what it asks (dotnet vertex quota --request obj/.../vertex/job-request.json compares the two).",
            JobStates.Pending => "A job stays PENDING this long when the region has no capacity for its machine type and accelerator just now "
                + "(A3, A4 and B200 machines are mostly available only through reservations or the Dynamic Workload Scheduler).",
            _ => null,
        };
        if (reason is null)
        {
            return [];
        }

        return
        [
            $"VertexTraining: {jobId} has been {JobStates.Short(state)} for {(int)waited.TotalMinutes} min. {reason}",
            "VertexTraining: options: -p:VertexSchedulingStrategy=FlexStart (the Dynamic Workload Scheduler starts it when capacity frees up, "
                + "on preemptible quota; VertexMaxWaitDuration bounds the wait), -p:VertexSchedulingStrategy=Spot (spare capacity, cheaper, "
                + "can be reclaimed: checkpoint), another region (-p:VertexRegion=...), or a Compute Engine reservation for the machine "
                + "(-p:VertexReservationAffinity=Specific with VertexReservation). The job keeps its place meanwhile; Ctrl-C stops following only.",
        ];
    }
}
