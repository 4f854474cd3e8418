using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Local;

/// <summary>The chosen mode and why, in words for the "mode" line.</summary>
internal sealed record ModeChoice(ExecutionMode Mode, string Reason, ContainerEngine? Engine);

/// <summary>
/// Chooses between containers and processes. Auto runs containers when podman or docker is on PATH and usable
/// and an image (or image archive) was given, else processes of the published app.
/// </summary>
internal static class ModeSelector
{
    public static async Task<ModeChoice> ChooseAsync(LocalRunOptions options, ExecutableLocator locator, CancellationToken cancellationToken)
    {
        var hasImage = options.ImageArchive is not null || options.Image is not null;
        var imageWords = options.ImageArchive is not null ? "an image archive was given" : "an image was given";
        switch (options.Mode)
        {
            case ExecutionMode.Process:
                return options.AppPath is not null
                    ? new ModeChoice(ExecutionMode.Process, "--mode process", null)
                    : throw new LocalRunException(DiagnosticCodes.LocalNoWayToRun,
                        "Process mode runs the published app: pass its linux-x64 executable with --app.", isConfigurationError: true);

            case ExecutionMode.Container:
            {
                var detection = await ContainerEngine.DetectAsync(locator, cancellationToken).ConfigureAwait(false);
                if (detection.Engine is null)
                {
                    throw new LocalRunException(DiagnosticCodes.ContainerEngineUnavailable,
                        $"Container mode needs podman or docker, and none is usable: {detection.Reason}. Install podman, or use --mode process with --app.");
                }

                return hasImage
                    ? new ModeChoice(ExecutionMode.Container, $"--mode container; {detection.Reason}", detection.Engine)
                    : throw new LocalRunException(DiagnosticCodes.LocalNoWayToRun,
                        "Container mode runs the built image: pass --image-archive (the image.tar.gz the SDK built) or --image.", isConfigurationError: true);
            }

            default:
            {
                if (!hasImage)
                {
                    return options.AppPath is not null
                        ? new ModeChoice(ExecutionMode.Process, "no image or image archive was given", null)
                        : throw NoWay("no image or image archive was given");
                }

                var detection = await ContainerEngine.DetectAsync(locator, cancellationToken).ConfigureAwait(false);
                if (detection.Engine is not null)
                {
                    return new ModeChoice(ExecutionMode.Container, $"{detection.Reason} and {imageWords}", detection.Engine);
                }

                return options.AppPath is not null
                    ? new ModeChoice(ExecutionMode.Process, $"no usable container engine: {detection.Reason}", null)
                    : throw NoWay($"no usable container engine ({detection.Reason})");
            }
        }
    }

    private static LocalRunException NoWay(string why) =>
        new(DiagnosticCodes.LocalNoWayToRun,
            $"Nothing to run: {why}, and no published app was given (--app). Pass --app for process mode, or --image-archive/--image with podman or docker installed.",
            isConfigurationError: true);
}
