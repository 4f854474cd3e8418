using Microsoft.Build.Framework;
using VertexTraining.Core.Diagnostics;
using VertexTraining.Core.Native;

namespace VertexTraining.Build.Tasks;

/// <summary>
/// Checks the native libraries of the publish output against the base image (or, for a local
/// process run, this machine) after publish and before the image is built, pushed or run.
/// </summary>
public sealed class CheckVertexNativeCompatibility : Microsoft.Build.Utilities.Task
{
    /// <summary>The publish folder of the image build.</summary>
    [Required]
    public string PublishDirectory { get; set; } = "";

    /// <summary>The base image the app is put on.</summary>
    public string? BaseImage { get; set; }

    /// <summary>True for a local run in process mode: the libraries load on this machine, not in the image.</summary>
    public bool OnHost { get; set; }

    /// <summary>The user's project file: diagnostics point there.</summary>
    public string? ProjectFile { get; set; }

    /// <inheritdoc />
    public override bool Execute()
    {
        string? reason = null;
        INativeBase? nativeBase = OnHost ? new HostNativeBase() : CudaImageFacts.FromImage(BaseImage ?? "", out reason);
        if (nativeBase is null)
        {
            Log.LogMessage(MessageImportance.High, "VertexTraining: native compatibility check skipped: {0}.", reason);
            return true;
        }

        var diagnostics = new DiagnosticBag();
        var report = NativeCompatibilityCheck.Run(PublishDirectory, nativeBase, diagnostics);
        var ok = Log.LogDiagnostics(diagnostics.Items, BuildEngine.DiagnosticFile(ProjectFile));
        Log.LogMessage(MessageImportance.High, "VertexTraining: native compatibility: {0} ELF files checked against {1}: {2}",
            report.Libraries.Count, nativeBase.Name, ok ? "they load" : "see the errors above");
        if (report.NotChecked.Count > 0)
        {
            Log.LogMessage(MessageImportance.Normal, "VertexTraining: native compatibility: not covered by the facts, so not checked: {0}", string.Join(", ", report.NotChecked));
        }

        return ok;
    }
}
