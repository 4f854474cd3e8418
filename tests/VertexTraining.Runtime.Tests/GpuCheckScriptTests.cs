using System.Diagnostics;

namespace VertexTraining.Runtime.Tests;

/// <summary>build/gpu-check.sh on machines without a GPU: it says why it skips and exits 0, so CI runs it as it is.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class GpuCheckScriptTests
{
    [NoGpuDriverFact]
    public void Skips_with_the_reason_and_exit_code_0_where_there_is_no_driver()
    {
        var (exitCode, output) = RunScript(pathPrefix: null);

        Assert.True(exitCode == 0, output);
        Assert.Equal("gpu-check: skipped: no nvidia-smi on PATH, so no NVIDIA driver on this machine", output.Trim());
    }

    [Fact]
    public void Skips_with_what_nvidia_smi_said_when_the_driver_does_not_answer()
    {
        // The state of a machine whose driver package is installed but whose kernel module is not loaded.
        using var bin = new TempDirectory();
        var fake = bin.Combine("nvidia-smi");
        File.WriteAllText(fake, "#!/bin/sh\necho \"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\"\nexit 9\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var (exitCode, output) = RunScript(pathPrefix: bin.Path);

        Assert.True(exitCode == 0, output);
        Assert.StartsWith("gpu-check: skipped: nvidia-smi is installed but failed", output.Trim());
        Assert.Contains("couldn't communicate with the NVIDIA driver", output);
    }

    private static (int ExitCode, string Output) RunScript(string? pathPrefix)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "build", "gpu-check.sh"));
        if (pathPrefix is not null)
        {
            start.Environment["PATH"] = pathPrefix + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), "gpu-check.sh did not finish within a minute");
        return (process.ExitCode, stdout + stderr.Result);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "build", "gpu-check.sh")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No build/gpu-check.sh above {AppContext.BaseDirectory}");
    }
}
