using System.CommandLine;
using System.Diagnostics;
using VertexTraining.Cli.Cloud;
using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Reporting;

namespace VertexTraining.Cli.Commands;

/// <summary>
/// <c>dotnet vertex report JOB [--output FILE] [--open]</c>: one offline HTML file of a job (cloud or
/// <c>local/&lt;id&gt;</c>): its facts, and for a tuning job the trial table and the study's charts.
/// </summary>
internal static class ReportCommand
{
    /// <summary>The version of the vendored plotly.js-dist-min (Report/plotly.js-dist-min); a test checks the script says the same.</summary>
    public const string PlotlyVersion = "3.3.1";

    private const string PlotlyResource = "VertexTraining.Cli.Report.plotly.min.js";

    public static Command Create()
    {
        var job = JobLocator.JobArgument();
        var options = new CloudOptions();
        var output = new Option<string?>("--output", "-o") { Description = "The HTML file to write. Default: <job id>-report.html in the current folder." };
        var open = new Option<bool>("--open") { Description = "Open the report in the default browser once written." };
        var command = new Command("report", "Write one HTML file that works offline: the job's facts and how to reproduce it; for a tuning job the sortable trial table, optimization history, slices, parallel coordinates and learning curves; the TensorBoard scalars a local run wrote.")
        {
            job, output, open,
        };
        options.AddTo(command);
        command.SetCliAction(async (parse, context, cancellationToken) =>
        {
            var found = await JobLocator.FindAsync(context, parse, options, parse.GetValue(job)!, cancellationToken);
            var report = found.LocalSnapshot is { } local
                ? JobReportBuilder.ForLocal(local)
                : JobReportBuilder.ForCloud(found.CloudJob!, parse.GetValue(options.Project));
            var id = found.LocalJob?.Id ?? found.CloudJob!.Name.Id;
            var path = Path.GetFullPath(Path.Combine(context.WorkingDirectory, parse.GetValue(output) ?? $"{id}-report.html"));
            ReportFile.Write(report, Plotly(), path);
            context.Out.WriteLine($"Report of {found.View.Name}: {path}");
            if (parse.GetValue(open))
            {
                Open(path, context);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    internal static EmbeddedPlotly Plotly()
    {
        using var stream = typeof(ReportCommand).Assembly.GetManifestResourceStream(PlotlyResource)
            ?? throw new InvalidOperationException($"The tool was built without its {PlotlyResource} resource.");
        using var reader = new StreamReader(stream);
        return new EmbeddedPlotly(reader.ReadToEnd(), PlotlyVersion, "MIT");
    }

    // The desktop's own opener; a machine without one (CI, SSH) gets a warning, the report is there all the same.
    private static void Open(string path, CliContext context)
    {
        try
        {
            var start = OperatingSystem.IsWindows() ? new ProcessStartInfo(path) { UseShellExecute = true }
                : new ProcessStartInfo(OperatingSystem.IsMacOS() ? "open" : "xdg-open") { ArgumentList = { path }, UseShellExecute = false };
            using var _ = Process.Start(start);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            context.Err.WriteLine(new VertexDiagnostic(DiagnosticCodes.ReportOpenFailed, "--open",
                $"Could not open a browser ({e.Message}); open {path} yourself.", IsWarning: true).ToCanonicalString());
        }
    }
}
