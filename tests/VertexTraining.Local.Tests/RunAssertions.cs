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
