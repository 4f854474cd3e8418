using System.Diagnostics;

namespace VertexTraining.Core.Local;

/// <summary>
/// A started process whose output is read line by line, and which can be stopped like a container: SIGTERM to
/// it and everything it started, a grace period, then SIGKILL to whatever is left.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    // A grandchild that inherited the pipes may keep them open after the child exits; don't wait on it forever.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    private readonly Process _process;
    private readonly Task _readers;

    private ChildProcess(Process process, Action<string, bool> onLine)
    {
        _process = process;
        Id = process.Id;
        _readers = Task.WhenAll(
            Pump(process.StandardOutput, line => onLine(line, false)),
            Pump(process.StandardError, line => onLine(line, true)));
        Completion = WaitAsync();
    }

    /// <summary>The process id.</summary>
    public int Id { get; }

    /// <summary>The exit code, once the process has exited and its output was read (128+N when killed by signal N).</summary>
    public Task<int> Completion { get; }

    /// <summary>Starts <paramref name="startInfo"/> with redirected output; <paramref name="onLine"/> gets (line, isStandardError).</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The file cannot be started.</exception>
    public static ChildProcess Start(ProcessStartInfo startInfo, Action<string, bool> onLine)
    {
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.RedirectStandardInput = true;
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{startInfo.FileName} did not start.");

        // Training code never reads stdin; closing it keeps a child from waiting on our terminal.
        process.StandardInput.Close();
        return new ChildProcess(process, onLine);
    }

    /// <summary>Stops the process and its descendants: SIGTERM, up to <paramref name="grace"/>, then SIGKILL.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        var tree = ProcessTree.Descendants(Id);
        if (!Completion.IsCompleted)
        {
            ProcessTree.Terminate(Id);
        }

        foreach (var pid in tree)
        {
            ProcessTree.Terminate(pid);
        }

        var deadline = DateTime.UtcNow + grace;
        while (DateTime.UtcNow < deadline && (!Completion.IsCompleted || tree.Any(ProcessTree.IsAlive)))
        {
            await Task.Delay(50).ConfigureAwait(false);
        }

        // Anything started during the grace period belongs to the tree as well.
        var survivors = Completion.IsCompleted ? tree : [.. tree, .. ProcessTree.Descendants(Id)];
        if (!Completion.IsCompleted)
        {
            ProcessTree.Kill(Id);
        }

        foreach (var pid in survivors.Where(ProcessTree.IsAlive))
        {
            ProcessTree.Kill(pid);
        }

        await Completion.ConfigureAwait(false);
    }

    public void Dispose() => _process.Dispose();

    private async Task<int> WaitAsync()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        await Task.WhenAny(_readers, Task.Delay(DrainTimeout)).ConfigureAwait(false);
        return _process.ExitCode;
    }

    private static async Task Pump(StreamReader reader, Action<string> onLine)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                onLine(line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe closed under us: the process is gone.
        }
    }
}
