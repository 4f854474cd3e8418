using System.Runtime.InteropServices;

namespace VertexTraining.Runtime.Tests;

/// <summary>
/// tests/VertexTraining.Runtime.TestApp, built with the tests and copied next to them, run as a real child process
/// (the shared <see cref="ChildProcess"/>) through the same dotnet host; what this adds is waiting for a line and
/// sending a signal, which the checkpoint and stop-signal tests need.
/// </summary>
internal sealed class ChildApp : IDisposable
{
    private static readonly string AppDll = Path.Combine(AppContext.BaseDirectory, "VertexTraining.Runtime.TestApp.dll");

    // The child must not think it runs under Vertex or the local runner unless a test says so.
    private static readonly string[] InheritedRunnerVariables = ["CLUSTER_SPEC", "TF_CONFIG", "AIP_CHECKPOINT_DIR", "VERTEX_LOCAL_GRACE_PERIOD", "CLOUD_ML_TRIAL_ID"];

    private readonly ChildProcess _child;

    private ChildApp(ChildProcess child) => _child = child;

    public int Id => _child.Process.Id;

    /// <summary>Standard output and error, line by line in the order they came.</summary>
    public string Output => _child.Interleaved.TrimEnd('\n');

    public static ChildApp Start(IReadOnlyDictionary<string, string?>? environment, params string[] arguments) =>
        new(ChildProcess.Start(DotnetHost, [AppDll, .. arguments], environment, prepare: start =>
        {
            foreach (var name in InheritedRunnerVariables)
            {
                start.Environment.Remove(name);
            }
        }));

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
            // Read before looking at HasExited: a line printed just before the exit still counts.
            var exited = _child.Process.HasExited;
            if (Output.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is { } line)
            {
                return line;
            }

            if (DateTime.UtcNow >= deadline || (exited && _child.WaitForExit(TimeSpan.FromSeconds(5)) && !Output.Contains(prefix, StringComparison.Ordinal)))
            {
                throw new TimeoutException($"The child never printed '{prefix}' (exited: {_child.Process.HasExited}). Output:\n{Output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        if (!await _child.WaitForExitAsync(timeout))
        {
            throw new TimeoutException($"The child did not exit within {timeout}. Output:\n{Output}");
        }

        return _child.Process.ExitCode;
    }

    /// <summary>SIGKILL: no handler runs, nothing is flushed, exactly like a preempted VM past its notice.</summary>
    public void KillHard() => _child.Process.Kill();

    public void Signal(int signal) => Assert.Equal(0, SendSignal(_child.Process.Id, signal));

    public void Dispose()
    {
        if (!_child.Process.HasExited)
        {
            _child.Process.Kill(entireProcessTree: true);
        }

        _child.Dispose();
    }

    public const int SIGINT = 2;
    public const int SIGTERM = 15;

    // The host that runs these tests (dotnet test sets DOTNET_HOST_PATH); the child uses the same runtime.
    private static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
