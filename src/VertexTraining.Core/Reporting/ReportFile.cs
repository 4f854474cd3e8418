using VertexTraining.Core.Cloud;
using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Local;

namespace VertexTraining.Core.Reporting;

/// <summary>Writes a report's HTML file in one step, so a browser refreshing it never reads half a page.</summary>
public static class ReportFile
{
    /// <summary>Writes <paramref name="report"/> to <paramref name="path"/>, replacing it.</summary>
    /// <exception cref="VertexCloudException">The file cannot be written (VTX1140).</exception>
    public static void Write(JobReport report, EmbeddedPlotly plotly, string path)
    {
        if (Directory.Exists(path))
        {
            throw NotWritable(path, "it is a folder");
        }

        using var html = new StringWriter();
        HtmlReportWriter.Write(report, plotly, html);
        try
        {
            AtomicFile.Write(path, html.ToString());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw NotWritable(path, e.Message, e);
        }
    }

    private static VertexCloudException NotWritable(string path, string reason, Exception? inner = null) =>
        new(DiagnosticCodes.ReportOutputNotWritable,
            $"--output: cannot write the report to '{path}' ({reason}); give a file path in a writable folder, e.g. --output report.html.", inner);
}
