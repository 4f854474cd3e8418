using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Configuration;

/// <summary>Where the job goes: the Cloud/Local choice, the project and region, the registry.</summary>
public static class TargetSettings
{
    public const string Cloud = "Cloud";
    public const string Local = "Local";

    /// <summary>Cloud when a project is set, else Local (the embedded default on a fresh machine).</summary>
    public static string ResolveTarget(JobInputs inputs) =>
        inputs.Get(VertexProperty.Target) is { } explicitTarget
            ? (string.Equals(explicitTarget, Local, StringComparison.OrdinalIgnoreCase) ? Local : Cloud)
            : inputs.Get(VertexProperty.Project) is null ? Local : Cloud;

    internal static void Validate(JobInputs inputs, InputReader read)
    {
        var bag = read.Diagnostics;
        var target = read.OneOf(inputs.Get(VertexProperty.Target), VertexProperty.Target, DiagnosticCodes.InvalidTarget, Cloud, Local);
        var project = inputs.Get(VertexProperty.Project);
        var isCloud = target == Cloud || (target is null && project is not null);

        if (project is null && target == Cloud)
        {
            bag.Error(DiagnosticCodes.MissingProject, VertexProperty.Project,
                $"{VertexProperty.Target} is Cloud but {VertexProperty.Project} is not set; set it to your Google Cloud project id, or use {VertexProperty.Target}=Local.");
        }
        else if (project is not null && !ResourceFormats.ProjectId().IsMatch(project))
        {
            bag.Error(DiagnosticCodes.InvalidProject, VertexProperty.Project,
                $"{VertexProperty.Project} is '{project}'; a project id is 6-30 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen.");
        }

        var region = inputs.Get(VertexProperty.Region);
        if (region is not null && !ResourceFormats.Region().IsMatch(region))
        {
            bag.Error(DiagnosticCodes.InvalidRegion, VertexProperty.Region,
                $"{VertexProperty.Region} is '{region}'; expected a Vertex AI region such as us-central1, europe-west4 or asia-northeast1 (not a zone like us-central1-a).");
        }

        var repository = inputs.Get(VertexProperty.ArtifactRepository);
        if (repository is not null && !ResourceFormats.ArtifactRepository().IsMatch(repository))
        {
            bag.Error(DiagnosticCodes.InvalidArtifactRepository, VertexProperty.ArtifactRepository,
                $"{VertexProperty.ArtifactRepository} is '{repository}'; an Artifact Registry repository id is 1-63 lowercase letters, digits or hyphens, starting with a letter (just the id, not the full path).");
        }

        if (isCloud && repository is null && inputs.Get(VertexProperty.ContainerRegistry) is null)
        {
            bag.Error(DiagnosticCodes.MissingRegistry, VertexProperty.ArtifactRepository,
                $"A Cloud job needs somewhere to push its image: set {VertexProperty.ArtifactRepository} to an Artifact Registry Docker repository id (or set ContainerRegistry and ContainerRepository yourself).");
        }

        void CheckEndpoint(string property, string example)
        {
            if (inputs.Get(property) is { } endpoint
                && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")))
            {
                bag.Error(DiagnosticCodes.InvalidApiEndpoint, property, $"{property} is '{endpoint}'; expected an absolute https:// URL such as {example}.");
            }
        }

        CheckEndpoint(VertexProperty.ApiEndpoint, "https://us-central1-aiplatform.googleapis.com");

        read.Bool(inputs.Get(VertexProperty.Wait), VertexProperty.Wait);
        read.Bool(inputs.Get(VertexProperty.DryRun), VertexProperty.DryRun);
        read.Bool(inputs.Get(VertexProperty.QuotaCheck), VertexProperty.QuotaCheck);
        CheckEndpoint(VertexProperty.QuotaEndpoint, "https://cloudquotas.googleapis.com");
    }
}
