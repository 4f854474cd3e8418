using System.Globalization;
using System.Text;

namespace VertexTraining.Build.Tests.Infrastructure;

/// <summary>
/// Watches what `ps -ef` would show for the processes this test host starts (the build, its MSBuild
/// nodes, the CLI it runs): every few milliseconds it reads /proc/PID/cmdline of each descendant of
/// this process and keeps every distinct command line seen. Linux only.
/// </summary>
internal sealed class ProcessListingRecorder : IDisposable
{
    private readonly HashSet<string> _commandLines = new(StringComparer.Ordinal);
    private readonly TimeSpan _interval;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private int _samples;

    public ProcessListingRecorder(TimeSpan interval)
    {
        _interval = interval;
        _thread = new Thread(Loop) { IsBackground = true, Name = "process listing recorder" };
        _thread.Start();
    }

    /// <summary>How many times the process table was read.</summary>
    public int Samples => Volatile.Read(ref _samples);

    /// <summary>Every distinct command line seen so far, arguments joined by spaces.</summary>
    public IReadOnlyList<string> CommandLines
    {
        get
        {
            lock (_commandLines)
            {
                return [.. _commandLines];
            }
        }
    }

    public void Stop()
    {
        _stopping = true;
        _thread.Join();
    }

    public void Dispose() => Stop();

    private void Loop()
    {
        // Without /proc nothing is recorded, and the callers' positive controls fail with the listing empty.
        while (!_stopping && Directory.Exists("/proc"))
        {
            Sample();
            Interlocked.Increment(ref _samples);
            Thread.Sleep(_interval);
        }
    }

    private void Sample()
    {
        // A process may exit between the listing and the read: whatever cannot be read is skipped.
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && ParentOf(dir) is { } parent)
            {
                parents[pid] = parent;
            }
        }

        var self = Environment.ProcessId;
        foreach (var pid in parents.Keys)
        {
            if (pid != self && IsDescendant(pid, self, parents) && CommandLine(pid) is { Length: > 0 } commandLine)
            {
                lock (_commandLines)
                {
                    _commandLines.Add(commandLine);
                }
            }
        }
    }

    private static bool IsDescendant(int pid, int ancestor, Dictionary<int, int> parents)
    {
        for (var depth = 0; depth < 64 && parents.TryGetValue(pid, out var parent); depth++)
        {
            if (parent == ancestor)
            {
                return true;
            }

            pid = parent;
        }

        return false;
    }

    private static int? ParentOf(string procDirectory)
    {
        try
        {
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
            var stat = File.ReadAllText(Path.Combine(procDirectory, "stat"));
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static string? CommandLine(int pid)
    {
        try
        {
            var bytes = File.ReadAllBytes($"/proc/{pid}/cmdline");
            return Encoding.UTF8.GetString(bytes).Replace('\0', ' ').TrimEnd();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
