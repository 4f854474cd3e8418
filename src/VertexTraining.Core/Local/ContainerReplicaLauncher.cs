using System.Diagnostics;
using System.Globalization;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Local;

/// <summary>
/// Runs each replica as a container: <c>podman run --rm --name vtx-&lt;job&gt;-&lt;pool&gt;-&lt;i&gt; --network host ...</c>.
/// Host networking lets the replicas reach each other at the 127.0.0.1 addresses of CLUSTER_SPEC; output folders
/// are bind-mounted at their host paths, so AIP_* values mean the same inside and outside.
/// </summary>
internal sealed class ContainerReplicaLauncher : IReplicaLauncher
{
    /// <summary>The label that marks every container of a local job, for cleanup.</summary>
    public const string JobLabel = "vertex-training.job";

    private static readonly TimeSpan EngineCommandTimeout = TimeSpan.FromSeconds(60);

    // Variables the engine CLI itself reads: passing them through its environment would change how it runs,
    // so they go on the command line instead. Everything else goes through the environment (`-e NAME`), which
    // keeps values (possibly secrets) out of the process list.
    private static readonly string[] EngineOwnVariablePrefixes = ["CONTAINERS_", "DOCKER_", "PODMAN_", "XDG_", "LD_", "BUILDAH_", "REGISTRY_AUTH_FILE"];
    private static readonly HashSet<string> EngineOwnVariables = new(StringComparer.Ordinal) { "PATH", "HOME", "TMPDIR", "USER", "SHELL" };

    private readonly ContainerEngine _engine;
    private readonly string _builtImage;
    private readonly Func<string, bool> _isBuiltImage;
    private readonly bool _passGpus;

    /// <param name="engine">podman or docker.</param>
    /// <param name="builtImage">The loaded image (id or reference) that stands for the app's own image.</param>
    /// <param name="isBuiltImage">Whether a pool's imageUri is the app's own image; other pools run their own image.</param>
    /// <param name="passGpus">Pass the host's GPUs (<c>--device nvidia.com/gpu=all</c> / <c>--gpus all</c>).</param>
    public ContainerReplicaLauncher(ContainerEngine engine, string builtImage, Func<string, bool> isBuiltImage, bool passGpus)
    {
        _engine = engine;
        _builtImage = builtImage;
        _isBuiltImage = isBuiltImage;
        _passGpus = passGpus;
    }

    /// <summary>The job's shares and their local folders, bind-mounted where Vertex AI mounts them in the pools that use them.</summary>
    public IReadOnlyList<SharedMount> Mounts { get; init; } = [];

    public void Validate(IReadOnlyList<LocalReplica> replicas)
    {
        foreach (var replica in replicas.Where(r => string.IsNullOrEmpty(r.Container.ImageUri)).Take(1))
        {
            throw new LocalRunException(DiagnosticCodes.LocalUnsupportedDocument,
                $"Worker pool {replica.PoolIndex} ({replica.PoolName}) has no containerSpec.imageUri.", isConfigurationError: true);
        }
    }

    public RunningReplica Start(ReplicaLaunch launch, Action<string, bool> onLine)
    {
        // The container is stopped by the runner (podman stop), never by a terminal's Ctrl-C reaching its client.
        var (file, arguments) = TerminalSignalShield.Wrap(_engine.Executable, RunArguments(launch, out var passedByEnvironment));
        var startInfo = new ProcessStartInfo(file);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in passedByEnvironment)
        {
            startInfo.Environment[name] = value;
        }

        foreach (var folder in launch.WritableFolders)
        {
            MakeWritableByAnyUser(folder);
        }

        try
        {
            return new ContainerReplica(this, launch.InstanceName, ChildProcess.Start(startInfo, onLine));
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new LocalRunException(DiagnosticCodes.ReplicaStartFailed, $"{_engine.Name} could not be started for {launch.TaskName}: {e.Message}", inner: e);
        }
    }

    /// <summary>The <c>run</c> command line; variables whose values must not appear on it are returned separately.</summary>
    internal List<string> RunArguments(ReplicaLaunch launch, out Dictionary<string, string> passedByEnvironment)
    {
        passedByEnvironment = new Dictionary<string, string>(StringComparer.Ordinal);
        var image = launch.Replica.Container.ImageUri ?? "";
        var builtImage = _isBuiltImage(image);
        var arguments = new List<string>
        {
            "run", "--rm",
            "--name", launch.InstanceName,
            "--network", "host",
            "--label", $"{JobLabel}={launch.JobId}",
            "--pull", builtImage ? "never" : "missing",
        };

        foreach (var (name, value) in launch.Environment.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (EngineOwnVariables.Contains(name) || EngineOwnVariablePrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
            {
                arguments.Add("--env");
                arguments.Add($"{name}={value}");
            }
            else
            {
                arguments.Add("--env");
                arguments.Add(name);
                passedByEnvironment[name] = value;
            }
        }

        foreach (var folder in launch.WritableFolders)
        {
            // ':z' relabels for SELinux hosts and is ignored elsewhere.
            arguments.Add("--volume");
            arguments.Add($"{folder}:{folder}:z");
        }

        foreach (var (path, _) in SharedMounts.Of(launch.Replica.Pool))
        {
            if (Mounts.FirstOrDefault(m => m.ContainerPath == path) is { } mount)
            {
                arguments.Add("--volume");
                arguments.Add($"{mount.HostFolder}:{path}:z");
            }
        }

        if (_passGpus)
        {
            // podman uses CDI device names (nvidia-ctk cdi generate); docker its --gpus flag.
            arguments.AddRange(_engine.IsPodman ? ["--device", "nvidia.com/gpu=all"] : ["--gpus", "all"]);
        }

        var command = launch.Replica.Container.Command;
        if (command is { Count: > 0 })
        {
            // --entrypoint takes one word in docker; the rest of the command goes before the args.
            arguments.Add("--entrypoint");
            arguments.Add(command[0]);
        }

        arguments.Add(builtImage ? _builtImage : image);
        if (command is { Count: > 1 })
        {
            arguments.AddRange(command.Skip(1));
        }

        arguments.AddRange(launch.Arguments);
        return arguments;
    }

    public async Task CleanupAsync(string jobId)
    {
        var listed = await _engine.RunAsync(["ps", "-a", "-q", "--filter", $"label={JobLabel}={jobId}"], EngineCommandTimeout).ConfigureAwait(false);
        var ids = listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids.Length > 0)
        {
            await _engine.RunAsync(["rm", "-f", .. ids], EngineCommandTimeout).ConfigureAwait(false);
        }
    }

    private async Task StopContainerAsync(string name, TimeSpan grace)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(grace.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await _engine.RunAsync(["stop", "-t", seconds, name], grace + EngineCommandTimeout).ConfigureAwait(false);
        await _engine.RunAsync(["rm", "-f", name], EngineCommandTimeout).ConfigureAwait(false);
    }

    private static void MakeWritableByAnyUser(string folder)
    {
        // The SDK's images run as a non-root user whose id need not match ours; like the /gcs mount on Vertex AI,
        // the output folders must be writable by it.
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
        }
    }

    private sealed class ContainerReplica(ContainerReplicaLauncher launcher, string name, ChildProcess client) : RunningReplica
    {
        public override Task<int> Completion => client.Completion;

        public override async Task StopAsync(TimeSpan grace)
        {
            if (!client.Completion.IsCompleted)
            {
                // Killing the CLI alone would leave the container running: stop the container by name.
                await launcher.StopContainerAsync(name, grace).ConfigureAwait(false);
            }

            if (await Task.WhenAny(client.Completion, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false) != client.Completion)
            {
                await client.StopAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }
        }

        public override void Dispose() => client.Dispose();
    }
}
