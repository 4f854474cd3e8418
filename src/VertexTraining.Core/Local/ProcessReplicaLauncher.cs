using System.Diagnostics;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Local;

/// <summary>
/// Runs each replica as a process of the published app, standing in for the container's entry point. The
/// working directory is the app's folder, as the SDK's images use the app folder as WORKDIR.
/// </summary>
internal sealed class ProcessReplicaLauncher : IReplicaLauncher
{
    // Variables of our own environment that describe a Vertex replica: a replica must see only its own.
    private static readonly string[] VertexVariablePrefixes = ["CLUSTER_SPEC", "TF_CONFIG", "CLOUD_ML_", "AIP_", "VERTEX_ACCELERATOR_"];

    private readonly string _app;
    private readonly Func<string, bool> _isBuiltImage;
    private readonly ExecutableLocator _locator;

    /// <param name="app">The published executable.</param>
    /// <param name="isBuiltImage">Whether a pool's imageUri is the image of this app (only those pools can run as processes).</param>
    /// <param name="locator">Finds other commands on PATH.</param>
    public ProcessReplicaLauncher(string app, Func<string, bool> isBuiltImage, ExecutableLocator locator)
    {
        _app = Path.GetFullPath(app);
        _isBuiltImage = isBuiltImage;
        _locator = locator;
    }

    public void Validate(IReadOnlyList<LocalReplica> replicas)
    {
        if (!File.Exists(_app))
        {
            throw new LocalRunException(DiagnosticCodes.LocalNoWayToRun,
                $"The app '{_app}' does not exist; pass the published linux-x64 executable with --app.", isConfigurationError: true);
        }

        foreach (var replica in replicas.DistinctBy(r => r.PoolIndex))
        {
            var image = replica.Container.ImageUri ?? "";
            if (!_isBuiltImage(image))
            {
                throw new LocalRunException(DiagnosticCodes.PoolNotRunnableAsProcess,
                    $"Worker pool {replica.PoolIndex} ({replica.PoolName}) uses the image '{image}', which is not the app's own; process mode can only run the published app. " +
                    "Install podman or docker to run it as a container (--mode container).", isConfigurationError: true);
            }

            _ = Resolve(replica, []);
        }
    }

    public RunningReplica Start(ReplicaLaunch launch, Action<string, bool> onLine)
    {
        var (file, arguments) = Resolve(launch.Replica, launch.Arguments);
        var startInfo = new ProcessStartInfo(file) { WorkingDirectory = Path.GetDirectoryName(_app)! };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var name in startInfo.Environment.Keys.Where(IsVertexVariable).ToList())
        {
            startInfo.Environment.Remove(name);
        }

        foreach (var (name, value) in launch.Environment)
        {
            startInfo.Environment[name] = value;
        }

        try
        {
            return new ProcessReplica(ChildProcess.Start(startInfo, onLine));
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new LocalRunException(DiagnosticCodes.ReplicaStartFailed, $"The replica {launch.TaskName} could not be started ({file}): {e.Message}", inner: e);
        }
    }

    public Task CleanupAsync(string jobId) => Task.CompletedTask;

    /// <summary>
    /// What to execute for a replica. A pool's <c>command</c> replaces the image's entry point on Vertex AI; here the
    /// app is the entry point, so a command naming the app (e.g. <c>/app/MyTrainer</c>) runs the app, and any other
    /// command (e.g. <c>sh -c ...</c>) must be found on this machine's PATH.
    /// </summary>
    private (string File, IReadOnlyList<string> Arguments) Resolve(LocalReplica replica, IReadOnlyList<string> args)
    {
        var command = replica.Container.Command;
        if (command is not { Count: > 0 })
        {
            return (_app, args);
        }

        var rest = command.Skip(1).Concat(args).ToList();
        var name = command[0].Replace('\\', '/').Split('/')[^1];
        if (string.Equals(name, Path.GetFileName(_app), StringComparison.Ordinal)
            || string.Equals(name, Path.GetFileNameWithoutExtension(_app), StringComparison.Ordinal))
        {
            return (_app, rest);
        }

        return _locator.Find(command[0]) is { } found
            ? (found, rest)
            : throw new LocalRunException(DiagnosticCodes.LocalCommandNotFound,
                $"Worker pool {replica.PoolIndex} ({replica.PoolName}) has the command '{string.Join(" ", command)}'; in process mode '{command[0]}' must be the app ({Path.GetFileName(_app)}) or a program on PATH, and it is neither.",
                isConfigurationError: true);
    }

    private static bool IsVertexVariable(string name) =>
        VertexVariablePrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));

    private sealed class ProcessReplica(ChildProcess process) : RunningReplica
    {
        public override Task<int> Completion => process.Completion;

        public override Task StopAsync(TimeSpan grace) => process.StopAsync(grace);

        public override void Dispose() => process.Dispose();
    }
}
