using VertexTraining.Core.Api;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Local;

/// <summary>
/// A file share of the job (an entry of a pool's nfsMounts or lustreMounts) and the local folder that stands for it
/// in a container run, bind-mounted where Vertex AI mounts the share, so the training code reads and writes the
/// same paths as on the service.
/// </summary>
/// <param name="ContainerPath"><c>/mnt/nfs/&lt;mountPoint&gt;</c> or <c>/mnt/lustre/&lt;mountPoint&gt;</c>.</param>
/// <param name="Share">The share in words: <c>NFS 10.0.0.2:/exports/data</c>.</param>
/// <param name="HostFolder">The local folder.</param>
/// <param name="IsRunFolder">Whether the folder is the run folder's own (none was given for the share).</param>
public sealed record SharedMount(string ContainerPath, string Share, string HostFolder, bool IsRunFolder)
{
    /// <summary>The line a run prints about it.</summary>
    public string Describe() => IsRunFolder
        ? $"{Share} at {ContainerPath}: bind mount of {HostFolder}, a folder of the run (give your own with LocalPath on the item, or local-run --mount {ContainerPath}=FOLDER)"
        : $"{Share} at {ContainerPath}: bind mount of {HostFolder}";
}

/// <summary>The job's shares, and the local folders given for them (VertexNfsMount/VertexLustreMount LocalPath, <c>local-run --mount</c>).</summary>
public static class SharedMounts
{
    /// <summary>What <c>--mount</c> takes.</summary>
    public const string ValidForm = "/mnt/nfs/<mountPoint>=FOLDER or /mnt/lustre/<mountPoint>=FOLDER";

    /// <summary>Where a pool's shares are mounted, with each share in words.</summary>
    public static IEnumerable<(string ContainerPath, string Share)> Of(WorkerPoolSpec pool) =>
        (pool.NfsMounts ?? []).Select(m => ($"/mnt/nfs/{m.MountPoint}", $"NFS {m.Server}:{m.Path}"))
            .Concat((pool.LustreMounts ?? []).Select(m => ($"/mnt/lustre/{m.MountPoint}", $"Lustre {m.InstanceIp}:/{m.Filesystem} ({m.VolumeHandle})")));

    /// <summary>Reads <c>--mount CONTAINERPATH=FOLDER</c> values; a relative folder is taken from <paramref name="baseDirectory"/>.</summary>
    public static (IReadOnlyDictionary<string, string> Folders, VertexDiagnostic? Error) ReadFolders(IEnumerable<string> values, string baseDirectory, string subject)
    {
        var folders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var separator = value.IndexOf('=', StringComparison.Ordinal);
            var path = separator > 0 ? value[..separator].TrimEnd('/') : "";
            var folder = separator > 0 ? value[(separator + 1)..] : "";
            if (!IsSharePath(path) || folder.Length == 0 || folders.ContainsKey(path))
            {
                return (folders, new VertexDiagnostic(DiagnosticCodes.LocalMountFolderInvalid, subject,
                    $"{subject} has '{value}'; expected {ValidForm}, once per share."));
            }

            folders[path] = Path.GetFullPath(folder, baseDirectory);
        }

        return (folders, null);
    }

    /// <summary>
    /// The folders of a run's shares, created when missing (then writable by the image's non-root user, as the
    /// output folders are; a folder that exists keeps its permissions). Throws when the run cannot honour them.
    /// </summary>
    /// <exception cref="LocalRunException">A given folder names no share of the job (VTX5071), the run is in
    /// process mode (VTX5070), or a folder cannot be created (VTX5072).</exception>
    public static IReadOnlyList<SharedMount> Prepare(CustomJobSpec spec, IReadOnlyDictionary<string, string> folders, RunFolder run, ExecutionMode mode)
    {
        var shares = (spec.WorkerPoolSpecs ?? []).SelectMany(Of).DistinctBy(s => s.ContainerPath).ToList();
        if (folders.Keys.FirstOrDefault(path => shares.All(s => s.ContainerPath != path)) is { } unknown)
        {
            var known = shares.Count == 0 ? "it mounts none" : "its shares are at " + string.Join(", ", shares.Select(s => s.ContainerPath));
            throw new LocalRunException(DiagnosticCodes.LocalMountFolderInvalid,
                $"A local folder is given for {unknown}, but the job mounts nothing there; {known}.", isConfigurationError: true);
        }

        if (shares.Count == 0)
        {
            return [];
        }

        foreach (var (path, share) in shares.Where(s => !IsSharePath(s.ContainerPath)).Take(1))
        {
            // A patched document may carry any mountPoint; a local folder is only made for one folder name.
            throw new LocalRunException(DiagnosticCodes.LocalUnsupportedDocument,
                $"The job mounts {share} at {path}; a mountPoint is {Configuration.MountPointName.Rule}.", isConfigurationError: true);
        }

        if (mode == ExecutionMode.Process)
        {
            throw new LocalRunException(DiagnosticCodes.LocalMountInProcessMode,
                $"The job mounts {string.Join(", ", shares.Select(s => $"{s.Share} at {s.ContainerPath}"))} (VertexNfsMount / VertexLustreMount). "
                + "Process mode runs the app on this machine, which cannot place a local folder at that path; run it in container mode "
                + "(VertexLocalMode=container, or local-run --mode container, with podman or docker), where a local folder is bind-mounted there, or remove the mount.",
                isConfigurationError: true);
        }

        var mounts = new List<SharedMount>();
        foreach (var (path, share) in shares)
        {
            var given = folders.TryGetValue(path, out var folder);
            folder ??= Path.Combine(run.Root, path.TrimStart('/'));
            try
            {
                if (!Directory.Exists(folder))
                {
                    Directory.CreateDirectory(folder);
                    if (!OperatingSystem.IsWindows())
                    {
                        // Like the output folders: the SDK's images run as a user whose id need not match ours.
                        File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new LocalRunException(DiagnosticCodes.LocalMountFolderUnusable,
                    $"The local folder {folder} for {share} at {path} cannot be created: {e.Message}", inner: e);
            }

            mounts.Add(new SharedMount(path, share, folder, !given));
        }

        return mounts;
    }

    private static bool IsSharePath(string path)
    {
        var name = path.StartsWith("/mnt/nfs/", StringComparison.Ordinal) ? path["/mnt/nfs/".Length..]
            : path.StartsWith("/mnt/lustre/", StringComparison.Ordinal) ? path["/mnt/lustre/".Length..]
            : "";
        return Configuration.MountPointName.IsValid(name);
    }
}
