namespace VertexTraining.Build.Tasks.Layers;

/// <summary>
/// Codes of the layered image build. They belong in VertexTraining.Core's DiagnosticCodes, in the
/// same ranges; they live here until they move there, and never change meaning.
/// </summary>
internal static class LayerDiagnosticCodes
{
    /// <summary>VertexImageLayers is not split or single (raised by the targets).</summary>
    public const string InvalidImageLayers = "VTX1100";

    /// <summary>The publish folder could not be split into layer folders (read, hash or link failed).</summary>
    public const string LayerStagingFailed = "VTX2050";
}
