using System.Globalization;
using System.Runtime.InteropServices;

namespace VertexTraining.Core.Local;

/// <summary>Signals and process trees, so stopping a replica also stops whatever it started.</summary>
internal static class ProcessTree
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    /// <summary>
    /// The ids of every descendant of <paramref name="rootId"/>, read from /proc (Linux). Taken before a stop, so
    /// children that outlive their parent (and are re-parented to init) are still known. Empty elsewhere.
    /// </summary>
    public static IReadOnlyList<int> Descendants(int rootId)
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }

        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces and parentheses.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException)
            {
                // The process ended while we looked.
            }
        }

        var result = new List<int>();
        var frontier = new Queue<int>([rootId]);
        while (frontier.Count > 0)
        {
            var parent = frontier.Dequeue();
            foreach (var (pid, ppid) in parents)
            {
                if (ppid == parent && pid != rootId && !result.Contains(pid))
                {
                    result.Add(pid);
                    frontier.Enqueue(pid);
                }
            }
        }

        return result;
    }

    /// <summary>Asks a process to stop (SIGTERM), as a container engine does before killing.</summary>
    public static void Terminate(int pid) => Signal(pid, SigTerm);

    /// <summary>Kills a process (SIGKILL); ignores processes that are already gone.</summary>
    public static void Kill(int pid) => Signal(pid, SigKill);

    /// <summary>Whether a process with this id still exists (and is not a zombie).</summary>
    public static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
                return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException or IndexOutOfRangeException)
            {
                return false;
            }
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void Signal(int pid, int signal)
    {
        if (OperatingSystem.IsWindows())
        {
            if (signal == SigKill)
            {
                try
                {
                    using var process = System.Diagnostics.Process.GetProcessById(pid);
                    process.Kill(entireProcessTree: true);
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException)
                {
                    // Already gone.
                }
            }

            return;
        }

        _ = SysKill(pid, signal);
    }

    // DllImport rather than LibraryImport: the generated stubs need unsafe code, which Core does not enable.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
#pragma warning disable SYSLIB1054
    private static extern int SysKill(int pid, int signal);
#pragma warning restore SYSLIB1054
}
