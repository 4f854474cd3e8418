using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace VertexTraining.Local.Tests;

/// <summary>
/// Runs the real <c>dotnet-vertex</c> as a child process with a controlled environment: its own local job index,
/// and a PATH chosen by the test (an empty folder hides podman and docker).
/// </summary>
internal sealed class Cli
{
    private readonly Dictionary<string, string?> _environment = new(StringComparer.Ordinal);

    public Cli(string jobIndex, string? path = null)
    {
        JobIndex = jobIndex;
        _environment["VERTEX_LOCAL_JOBS_DIR"] = jobIndex;
        _environment["DOTNET_ROOT"] = Path.GetDirectoryName(TestPaths.DotnetHost);
        if (path is not null)
        {
            _environment["PATH"] = path;
        }
    }

    public string JobIndex { get; }

    public Cli With(string name, string? value)
    {
        _environment[name] = value;
        return this;
    }

    public Task<Commands.Result> RunAsync(TimeSpan timeout, params string[] arguments) =>
        Commands.RunAsync(TestPaths.DotnetHost, [TestPaths.CliDll, .. arguments], timeout, _environment);

    /// <summary>Starts the tool and returns it running, for tests that signal it.</summary>
    public Running Start(params string[] arguments)
    {
        var process = Commands.Start(TestPaths.DotnetHost, [TestPaths.CliDll, .. arguments], _environment, null, out var output, out var error);
        return new Running(process, output, error);
    }

    /// <summary>
    /// Starts the tool as the leader of a process group of its own (through util-linux's setsid, which execs in
    /// place), so that a test can signal the whole group as a terminal's Ctrl-C does without signalling itself.
    /// </summary>
    public Running StartInOwnProcessGroup(params string[] arguments)
    {
        var process = Commands.Start("/usr/bin/setsid", [TestPaths.DotnetHost, TestPaths.CliDll, .. arguments], _environment, null, out var output, out var error);
        return new Running(process, output, error);
    }

    /// <summary>
    /// Starts the tool under a shell that stands for the build: the tool is told to stop with it
    /// (<c>VERTEX_STOP_WITH_PID</c>, as the build's tasks set it), and the returned process is the shell.
    /// </summary>
    public Running StartUnderStandInBuild(params string[] arguments)
    {
        var process = Commands.Start("/bin/sh",
            ["-c", "VERTEX_STOP_WITH_PID=$$ \"$0\" \"$@\" & wait", TestPaths.DotnetHost, TestPaths.CliDll, .. arguments], _environment, null, out var output, out var error);
        return new Running(process, output, error);
    }

    public sealed class Running(Process process, StringBuilder output, StringBuilder error) : IDisposable
    {
        public Process Process => process;

        public string Output => Commands.Snapshot(output);

        public string Error => Commands.Snapshot(error);

        /// <summary>Waits until the tool's output contains <paramref name="text"/>.</summary>
        public async Task WaitForOutputAsync(string text, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!Output.Contains(text, StringComparison.Ordinal))
            {
                if (process.HasExited)
                {
                    Assert.Fail($"The tool exited ({process.ExitCode}) before printing '{text}'.\n{Output}\n{Error}");
                }

                Assert.True(DateTime.UtcNow < deadline, $"The tool did not print '{text}' within {timeout}.\n{Output}\n{Error}");
                await Task.Delay(100);
            }
        }

        /// <summary>Sends a signal, as Ctrl-C (SIGINT) or `kill` (SIGTERM) would.</summary>
        public void Signal(int signal) => Assert.Equal(0, Kill(process.Id, signal));

        /// <summary>Sends a signal to the tool's whole process group, as a terminal's Ctrl-C does (see <see cref="StartInOwnProcessGroup"/>).</summary>
        public void SignalGroup(int signal) => Assert.Equal(0, Kill(-process.Id, signal));

        public async Task<int> WaitForExitAsync(TimeSpan timeout)
        {
            using var limit = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"The tool did not exit within {timeout}.\n{Output}\n{Error}");
            }

            process.WaitForExit();
            return process.ExitCode;
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }

        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        private static extern int Kill(int pid, int signal);
    }
}

/// <summary>What is still running on the machine, for the "nothing left behind" checks.</summary>
internal static class Leftovers
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    /// <summary>Processes whose command line contains <paramref name="marker"/> (every probe replica gets one as an argument).</summary>
    public static IReadOnlyList<string> ProcessesWith(string marker)
    {
        var found = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var zombie = stat[(stat.LastIndexOf(')') + 2)] == 'Z';
                if (!zombie && commandLine.Contains(marker, StringComparison.Ordinal))
                {
                    found.Add($"{pid}: {commandLine.Trim()}");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
            {
                // Gone meanwhile.
            }
        }

        return found;
    }

    /// <summary>Containers (running or not) labelled with the local job id.</summary>
    public static async Task<IReadOnlyList<string>> ContainersOf(string jobId)
    {
        var result = await Commands.RunAsync("podman", ["ps", "-a", "--filter", $"label=vertex-training.job={jobId}", "--format", "{{.Names}} {{.Status}}"], TimeSpan.FromSeconds(60));
        Assert.Equal(0, result.ExitCode);
        return [.. result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    /// <summary>Containers whose name starts with vtx-&lt;jobId&gt;.</summary>
    public static async Task<IReadOnlyList<string>> ContainersNamed(string jobId)
    {
        var result = await Commands.RunAsync("podman", ["ps", "-a", "--filter", $"name=vtx-{jobId}", "--format", "{{.Names}}"], TimeSpan.FromSeconds(60));
        Assert.Equal(0, result.ExitCode);
        return [.. result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }
}
