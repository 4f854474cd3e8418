using System.Text.RegularExpressions;
using VertexTraining.Core.Local;

namespace VertexTraining.Local.Tests;

/// <summary>Reading back what a run left: the job id from the output, job.json through the store, the absence of leftovers.</summary>
internal static partial class RunAssertions
{
    [GeneratedRegex(@"job local/(?<id>\d{8}-\d{6}-[0-9a-f]{4})")]
    private static partial Regex JobIdPattern();

    public static string JobIdIn(string output)
    {
        var match = JobIdPattern().Match(output);
        Assert.True(match.Success, $"No job id in the output:\n{output}");
        return match.Groups["id"].Value;
    }

    /// <summary>The job as `dotnet vertex status local/&lt;id&gt;` would read it.</summary>
    public static LocalJobSnapshot Job(Cli cli, string output)
    {
        var record = new LocalJobStore(cli.JobIndex).Find("local/" + JobIdIn(output));
        Assert.NotNull(record);
        return record.Read();
    }

    /// <summary>The run folder of the job whose id <paramref name="output"/> printed.</summary>
    public static RunFolder Folder(Cli cli, string output)
    {
        var record = new LocalJobStore(cli.JobIndex).Find("local/" + JobIdIn(output));
        Assert.NotNull(record);
        return record.Folder;
    }

    /// <summary>A task's full output as its log file in the run folder keeps it (what the console no longer shows for a study).</summary>
    public static string TaskLog(Cli cli, string output, string task)
    {
        var log = Folder(cli, output).LogFile(task);
        Assert.True(File.Exists(log), $"No log {log}:\n{output}");
        return File.ReadAllText(log);
    }

    /// <summary>Waits until a task's log file in the run folder holds <paramref name="text"/>.</summary>
    public static async Task WaitForLogAsync(Cli cli, string output, string task, string text, TimeSpan timeout)
    {
        var log = Folder(cli, output).LogFile(task);
        var deadline = DateTime.UtcNow + timeout;
        while (!(File.Exists(log) && File.ReadAllText(log).Contains(text, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{log} did not get '{text}' within {timeout}.\n{output}");
            await Task.Delay(100);
        }
    }

    public static async Task NoProcessesLeftWith(string marker)
    {
        // Killed processes may take a moment to be reaped.
        IReadOnlyList<string> left = [];
        for (var i = 0; i < 30; i++)
        {
            left = Leftovers.ProcessesWith(marker);
            if (left.Count == 0)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("Processes left behind:\n" + string.Join("\n", left));
    }
}
