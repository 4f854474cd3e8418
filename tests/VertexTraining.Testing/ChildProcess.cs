using System.Diagnostics;
using System.Text;

namespace VertexTraining.Testing;

/// <summary>
/// A child process started for a test: its arguments passed one by one (no shell quoting), its environment this
/// one's with the test's changes, its input closed, and its output collected as it arrives, both per stream and
/// interleaved in the order it came.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly StringBuilder _interleaved = new();

    private ChildProcess(Process process)
    {
        Process = process;
    }

    public Process Process { get; }

    /// <summary>Standard output so far; lock it (or use <see cref="Snapshot"/>) to read while the process runs.</summary>
    public StringBuilder StandardOutput { get; } = new();

    /// <summary>Standard error so far; lock it (or use <see cref="Snapshot"/>) to read while the process runs.</summary>
    public StringBuilder StandardError { get; } = new();

    /// <summary>Both streams, line by line in the order they arrived.</summary>
    public string Interleaved => Snapshot(_interleaved);

    /// <param name="environment">Variables to set on top of this process's; a null value removes the variable.</param>
    /// <param name="prepare">Adjusts the start info before <paramref name="environment"/> is applied (say, to remove inherited variables).</param>
    public static ChildProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null,
        Action<ProcessStartInfo>? prepare = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        prepare?.Invoke(start);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var child = new ChildProcess(new Process { StartInfo = start });
        child.Process.OutputDataReceived += (_, e) => child.Append(child.StandardOutput, e.Data);
        child.Process.ErrorDataReceived += (_, e) => child.Append(child.StandardError, e.Data);
        child.Process.Start();
        // Nothing a test starts may wait for a terminal.
        child.Process.StandardInput.Close();
        child.Process.BeginOutputReadLine();
        child.Process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for the exit and for the output to drain; on timeout kills the process and what it started, and returns false.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!Process.WaitForExit(timeout))
        {
            KillTree();
            return false;
        }

        // The parameterless overload waits for the output pipes to drain.
        Process.WaitForExit();
        return true;
    }

    /// <inheritdoc cref="WaitForExit(TimeSpan)"/>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await Process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillTree();
            return false;
        }

        Process.WaitForExit();
        return true;
    }

    /// <summary>Reads a collected buffer safely while the process still writes to it.</summary>
    public static string Snapshot(StringBuilder buffer)
    {
        lock (buffer)
        {
            return buffer.ToString();
        }
    }

    public void Dispose() => Process.Dispose();

    private void KillTree()
    {
        // Only this child and what it started: a hung build or tool must not outlive the test.
        Process.Kill(entireProcessTree: true);
        Process.WaitForExit(TimeSpan.FromSeconds(30));
    }

    private void Append(StringBuilder stream, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (stream)
        {
            stream.Append(line).Append('\n');
        }

        lock (_interleaved)
        {
            _interleaved.Append(line).Append('\n');
        }
    }
}
