using System.Diagnostics;
using System.Runtime.InteropServices;

namespace VertexTraining.Runtime.Tests;

/// <summary>
/// tests/VertexTraining.Runtime.TestApp, built with the tests and copied next to them, run as a real child process
/// through the same dotnet host; its output lines are collected as they come.
/// </summary>
internal sealed class ChildApp : IDisposable
{
    private static readonly string AppDll = Path.Combine(AppContext.BaseDirectory, "VertexTraining.Runtime.TestApp.dll");
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly SemaphoreSlim _lineArrived = new(0);

    private ChildApp(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public static ChildApp Start(IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(DotnetHost) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(AppDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The child must not think it runs under Vertex or the local runner unless a test says so.
        foreach (var name in new[] { "CLUSTER_SPEC", "TF_CONFIG", "AIP_CHECKPOINT_DIR", "VERTEX_LOCAL_GRACE_PERIOD", "CLOUD_ML_TRIAL_ID" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        return new ChildApp(Process.Start(start)!);
    }

    public static ChildApp Start(params string[] arguments) => Start(null, arguments);

    /// <summary>Runs the child to its end and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        using var child = Start(arguments);
        var code = await child.WaitForExitAsync(TimeSpan.FromMinutes(2));
        return (code, child.Output);
    }

    /// <summary>Waits for a line starting with <paramref name="prefix"/> and returns it.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            lock (_lines)
            {
                if (_lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is { } line)
                {
                    return line;
                }
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || (_process.HasExited && !await _lineArrived.WaitAsync(TimeSpan.FromMilliseconds(200))))
            {
                throw new TimeoutException($"The child never printed '{prefix}' (exited: {_process.HasExited}). Output:\n{Output}");
            }

            await _lineArrived.WaitAsync(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The child did not exit within {timeout}. Output:\n{Output}");
        }

        _process.WaitForExit(); // drains the output
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no handler runs, nothing is flushed, exactly like a preempted VM past its notice.</summary>
    public void KillHard() => _process.Kill();

    public void Signal(int signal) => Assert.Equal(0, SendSignal(_process.Id, signal));

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    public const int SIGINT = 2;
    public const int SIGTERM = 15;

    // The host that runs these tests (dotnet test sets DOTNET_HOST_PATH); the child uses the same runtime.
    private static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }

        _lineArrived.Release();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
