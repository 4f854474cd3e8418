using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Local;

/// <summary>A container engine CLI on this machine: podman (preferred) or docker.</summary>
public sealed class ContainerEngine
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromMinutes(10);

    internal ContainerEngine(string name, string executable, string? loopbackUnreachableReason = null)
    {
        Name = name;
        Executable = executable;
        LoopbackUnreachableReason = loopbackUnreachableReason;
    }

    /// <summary><c>podman</c> or <c>docker</c>.</summary>
    public string Name { get; }

    /// <summary>The full path of its CLI.</summary>
    public string Executable { get; }

    /// <summary>Whether this is podman (whose flags differ from docker's for GPUs).</summary>
    public bool IsPodman => Name == "podman";

    /// <summary>
    /// Why this engine cannot pull from this machine's 127.0.0.1 (the build's loopback registry), or null
    /// when it can: podman machine, Docker Desktop and rootless docker pull from inside a VM or another
    /// network namespace. Judged from its <c>info</c> output when it was detected.
    /// </summary>
    public string? LoopbackUnreachableReason { get; }

    /// <summary>
    /// Finds a usable engine: podman, then docker, on PATH, each asked <c>info</c> (a docker CLI without a
    /// running daemon is on PATH but not usable). The reason says what was found, for the "mode" line.
    /// </summary>
    public static async Task<EngineDetection> DetectAsync(ExecutableLocator locator, CancellationToken cancellationToken = default)
    {
        var notes = new List<string>();
        foreach (var name in new[] { "podman", "docker" })
        {
            if (locator.Find(name) is not { } executable)
            {
                continue;
            }

            ToolCommand.Result info;
            try
            {
                info = await ToolCommand.RunAsync(executable, ["info"], ProbeTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                notes.Add($"{name} is on PATH but could not be started ({e.Message})");
                continue;
            }

            if (info.Succeeded)
            {
                var engine = new ContainerEngine(name, executable, LoopbackUnreachable(name, info.StandardOutput));
                return new EngineDetection(engine, $"{name} is available ({executable})");
            }

            notes.Add($"{name} is on PATH but not usable ({name} info: {(info.TimedOut ? "timed out" : info.Summary)})");
        }

        return new EngineDetection(null, notes.Count > 0 ? string.Join("; ", notes) : "neither podman nor docker is on PATH");
    }

    /// <summary>Why an engine, judged by its <c>info</c> output, pulls from a network where 127.0.0.1 is not this machine; null when it does not.</summary>
    internal static string? LoopbackUnreachable(string engine, string info)
    {
        var lines = info.Split('\n').Select(l => l.Trim().ToLowerInvariant()).ToList();
        if (engine == "podman")
        {
            return lines.Any(l => l.Replace(" ", "", StringComparison.Ordinal) == "serviceisremote:true") ? "podman talks to a remote service (podman machine)" : null;
        }

        if (lines.Any(l => l.StartsWith("operating system:", StringComparison.Ordinal) && l.Contains("docker desktop", StringComparison.Ordinal)))
        {
            return "Docker Desktop runs its daemon in a VM";
        }

        // `docker info` lists "rootless" among its Security Options for a rootless daemon.
        return lines.Any(l => l is "rootless" or "name=rootless") ? "a rootless docker daemon pulls from its own network namespace" : null;
    }

    /// <summary>Loads an image archive and returns the reference to run it by (its id when the archive names it) and its name.</summary>
    /// <exception cref="LocalRunException">The archive is missing or the engine refused it (VTX5004).</exception>
    public async Task<LoadedImage> LoadAsync(string archivePath, CancellationToken cancellationToken)
    {
        if (!File.Exists(archivePath))
        {
            throw new LocalRunException(DiagnosticCodes.LocalImageLoadFailed, $"The image archive '{archivePath}' does not exist.", isConfigurationError: true);
        }

        var result = await ToolCommand.RunAsync(Executable, ["load", "-i", archivePath], LoadTimeout, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new LocalRunException(DiagnosticCodes.LocalImageLoadFailed,
                $"{Name} load -i {archivePath} failed: {(result.TimedOut ? "timed out" : result.Summary)}");
        }

        var loaded = (result.StandardOutput + "\n" + result.StandardError).Split('\n')
            .Select(l => l.Trim())
            .LastOrDefault(l => l.StartsWith("Loaded image", StringComparison.Ordinal));
        var reported = loaded?[(loaded.IndexOf(':') + 1)..].Split(',')[0].Trim();

        // Prefer the id from the archive: two archives may carry the same name (e.g. myapp:latest).
        var (id, name) = ImageArchive.Read(archivePath);
        var reference = id ?? reported;
        return string.IsNullOrEmpty(reference)
            ? throw new LocalRunException(DiagnosticCodes.LocalImageLoadFailed, $"{Name} loaded {archivePath} but did not say which image it holds.")
            : new LoadedImage(reference, name ?? reported);
    }

    /// <summary>
    /// Pulls an image by reference and returns its id. Plain HTTP is allowed only for a registry on
    /// 127.0.0.1 (the build's own layer registry): podman needs --tls-verify=false for it, docker
    /// already treats 127.0.0.0/8 as an insecure registry. Layers the engine already holds are not fetched again.
    /// </summary>
    /// <exception cref="LocalRunException">The engine could not pull it (VTX5004).</exception>
    public async Task<string> PullAsync(string reference, CancellationToken cancellationToken)
    {
        var loopback = LoopbackPorts.IsOnHost(reference);
        string[] arguments = IsPodman && loopback ? ["pull", "--quiet", "--tls-verify=false", reference] : ["pull", "--quiet", reference];
        var result = await ToolCommand.RunAsync(Executable, arguments, LoadTimeout, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new LocalRunException(DiagnosticCodes.LocalImageLoadFailed,
                $"{Name} pull {reference} failed: {(result.TimedOut ? "timed out" : result.Summary)}");
        }

        // podman prints the image id; docker prints the reference. Either runs the image.
        var printed = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        var image = string.IsNullOrEmpty(printed) ? reference : printed;

        // Named like the archive route names it (myapp:latest), so `podman images` shows the latest run's
        // image by its name rather than by the build's throwaway registry port. A failure only costs the name.
        if (LocalName(reference) is { } name)
        {
            await ToolCommand.RunAsync(Executable, ["tag", image, name], ProbeTimeout, cancellationToken).ConfigureAwait(false);
            await RemoveSupersededAsync(name[..^":latest".Length], image, cancellationToken).ConfigureAwait(false);
        }

        return image;
    }

    /// <summary>
    /// Removes the earlier pulls of the same app from the build's loopback registry: once the app's
    /// name moved to the new image they are untagged, named only after a registry port that is gone,
    /// and would pile up one per changed build. Only untagged images are removed, without force, so
    /// one a container still uses stays; layers the new image shares (the base) stay in the store.
    /// </summary>
    private async Task RemoveSupersededAsync(string repository, string current, CancellationToken cancellationToken)
    {
        var currentId = await ToolCommand.RunAsync(Executable, ["image", "inspect", "--format", "{{.Id}}", current], ProbeTimeout, cancellationToken).ConfigureAwait(false);
        var keep = ShortId(currentId.StandardOutput.Trim());
        if (!currentId.Succeeded || keep.Length == 0)
        {
            return; // Nothing can be told apart safely; the leftovers cost disk, not correctness.
        }

        // By name, not by id: an image pulled by two builds has two such names, and removing it by
        // id would need --force. The listing may show only one name per image, so it is read again
        // until nothing more goes (each round removes at least one name, or stops).
        for (var round = 0; round < 10; round++)
        {
            var listed = await ToolCommand.RunAsync(Executable, ["images", "--no-trunc", "--format", "{{.ID}} {{.Repository}} {{.Tag}} {{.Digest}}"], ProbeTimeout, cancellationToken).ConfigureAwait(false);
            var names = listed.Succeeded ? SupersededImages(listed.StandardOutput, repository, keep) : [];
            var removed = 0;
            foreach (var name in names)
            {
                removed += (await ToolCommand.RunAsync(Executable, ["rmi", name], ProbeTimeout, cancellationToken).ConfigureAwait(false)).Succeeded ? 1 : 0;
            }

            if (removed == 0)
            {
                return;
            }
        }
    }

    /// <summary>
    /// From <c>images --format "{{.ID}} {{.Repository}} {{.Tag}} {{.Digest}}"</c>: the names
    /// (<c>127.0.0.1:PORT/repo@sha256:...</c>) of untagged images of <paramref name="repository"/> on a
    /// loopback port, other than the image <paramref name="keep"/>.
    /// </summary>
    internal static IReadOnlyList<string> SupersededImages(string listing, string repository, string keep) =>
        [.. listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 4 && f[2] == "<none>" && LoopbackPorts.IsOnHost(f[1])
                && f[1].EndsWith("/" + repository, StringComparison.Ordinal)
                && f[1].IndexOf('/', StringComparison.Ordinal) == f[1].Length - repository.Length - 1
                && f[3].StartsWith("sha256:", StringComparison.Ordinal)
                && ShortId(f[0]) != keep)
            .Select(f => $"{f[1]}@{f[3]}")
            .Distinct(StringComparer.Ordinal)];

    // podman prints ids as hex, docker as sha256:hex; twelve hex digits name an image in both.
    private static string ShortId(string id)
    {
        var hex = id.StartsWith("sha256:", StringComparison.Ordinal) ? id["sha256:".Length..] : id;
        return hex.Length >= 12 ? hex[..12] : hex;
    }

    /// <summary><c>127.0.0.1:40123/team/myapp@sha256:...</c> → <c>team/myapp:latest</c>; null for anything else.</summary>
    internal static string? LocalName(string reference)
    {
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        if (!LoopbackPorts.IsOnHost(reference) || slash < 0)
        {
            return null;
        }

        var repository = reference[(slash + 1)..].Split('@')[0];
        var lastSlash = repository.LastIndexOf('/');
        if (repository.IndexOf(':', lastSlash + 1) is var colon and >= 0)
        {
            repository = repository[..colon];
        }

        return repository.Length == 0 ? null : repository + ":latest";
    }

    /// <summary>Whether an image is in the engine's local store.</summary>
    public async Task<bool> ImageExistsAsync(string reference, CancellationToken cancellationToken)
    {
        var result = await ToolCommand.RunAsync(Executable, ["image", "inspect", reference], ProbeTimeout, cancellationToken).ConfigureAwait(false);
        return result.Succeeded;
    }

    /// <summary>Runs an engine command (stop, rm, ps) with a time limit.</summary>
    internal Task<ToolCommand.Result> RunAsync(IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        // Stop, rm and ps must finish even when the user presses Ctrl-C again while the runner cleans up.
        var (file, shielded) = TerminalSignalShield.Wrap(Executable, arguments);
        return ToolCommand.RunAsync(file, shielded, timeout, cancellationToken);
    }
}

/// <summary>An image loaded from an archive.</summary>
/// <param name="Reference">What to run: the image id, or the name the engine reported.</param>
/// <param name="Name">The image's name (e.g. <c>docker.io/library/myapp:latest</c>), when known.</param>
public sealed record LoadedImage(string Reference, string? Name);

/// <summary>The outcome of <see cref="ContainerEngine.DetectAsync"/>.</summary>
/// <param name="Engine">The usable engine, or null.</param>
/// <param name="Reason">What was found, in words.</param>
public sealed record EngineDetection(ContainerEngine? Engine, string Reason);
