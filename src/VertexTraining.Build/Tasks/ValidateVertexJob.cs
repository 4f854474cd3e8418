using Microsoft.Build.Framework;
using VertexTraining.Core.Configuration;
using VertexTraining.Core.Containers;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Build.Tasks;

/// <summary>
/// Checks the whole job declaration and resolves the CUDA base image, before anything is built,
/// pushed or submitted.
/// </summary>
public sealed class ValidateVertexJob : VertexJobTask
{
    /// <summary>$(VertexCudaVersion).</summary>
    public string? CudaVersion { get; set; }

    /// <summary>$(VertexCudaFlavor).</summary>
    public string? CudaFlavor { get; set; }

    /// <summary>$(VertexUbuntuVersion).</summary>
    public string? UbuntuVersion { get; set; }

    /// <summary>Where nvidia/cuda images are pulled from (a mirror, or a test registry).</summary>
    public string? CudaImageRepository { get; set; }

    /// <summary>The user's explicit ContainerBaseImage; when set it wins over the CUDA resolution.</summary>
    public string? ExplicitBaseImage { get; set; }

    /// <summary>The base image the container is built on.</summary>
    [Output]
    public string? BaseImage { get; private set; }

    /// <summary>True when <see cref="BaseImage"/> is a resolved CUDA image (the CUDA image defaults apply).</summary>
    [Output]
    public bool IsCudaBase { get; private set; }

    /// <summary>Cloud or Local.</summary>
    [Output]
    public string? Target { get; private set; }

    /// <inheritdoc />
    public override bool Execute()
    {
        var inputs = ReadInputs(out var argWarnings);
        Report(argWarnings);
        var diagnostics = new DiagnosticBag();
        if (string.IsNullOrWhiteSpace(ExplicitBaseImage))
        {
            BaseImage = CudaBaseImage.Resolve(Blank(CudaVersion), Blank(CudaFlavor), Blank(UbuntuVersion), Blank(CudaImageRepository), diagnostics);
            IsCudaBase = true;
        }
        else
        {
            BaseImage = ExplicitBaseImage;
        }

        Target = TargetSettings.ResolveTarget(inputs);
        var cuda = Report(diagnostics.Items);
        return Report(JobDocumentBuilder.Validate(inputs)) && cuda;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
