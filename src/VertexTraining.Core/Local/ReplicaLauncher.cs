namespace VertexTraining.Core.Local;

/// <summary>Starts replicas one way: as processes of the published app, or as containers of the built image.</summary>
internal interface IReplicaLauncher
{
    /// <summary>Checks that every replica can be started (the command resolves, the pool's image is runnable).</summary>
    /// <exception cref="LocalRunException">A pool cannot be run this way.</exception>
    void Validate(IReadOnlyList<LocalReplica> replicas);

    /// <summary>Starts one replica; <paramref name="onLine"/> receives its output lines (line, isStandardError).</summary>
    /// <exception cref="LocalRunException">It could not be started.</exception>
    RunningReplica Start(ReplicaLaunch launch, Action<string, bool> onLine);

    /// <summary>Removes anything of the job that may be left over (containers); nothing for processes.</summary>
    Task CleanupAsync(string jobId);
}

/// <summary>Everything needed to start one replica.</summary>
/// <param name="Replica">The replica.</param>
/// <param name="TaskName">Its task name in logs (<c>workerpool1-2</c>, or <c>trial-3-workerpool0-0</c>).</param>
/// <param name="InstanceName">A name unique on this machine (the container name, <c>vtx-&lt;job&gt;-&lt;pool&gt;-&lt;i&gt;</c>).</param>
/// <param name="JobId">The local job id, used to label containers.</param>
/// <param name="Arguments">The container args: the pool's args, then the trial's <c>--parameter=value</c> flags.</param>
/// <param name="Environment">The variables to set (<see cref="ReplicaEnvironment.Build"/>).</param>
/// <param name="WritableFolders">Host folders the replica writes to (bind-mounted at the same path in a container).</param>
internal sealed record ReplicaLaunch(
    LocalReplica Replica,
    string TaskName,
    string InstanceName,
    string JobId,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> WritableFolders);

/// <summary>A started replica.</summary>
internal abstract class RunningReplica : IDisposable
{
    /// <summary>The exit code once it has ended (128+N when stopped by signal N).</summary>
    public abstract Task<int> Completion { get; }

    /// <summary>Stops it (and everything it started): a polite signal, <paramref name="grace"/>, then a kill.</summary>
    public abstract Task StopAsync(TimeSpan grace);

    public virtual void Dispose()
    {
    }
}
