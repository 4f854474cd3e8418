using System.Text.RegularExpressions;
using VertexTraining.Core.Api;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Configuration;

/// <summary>
/// The job-wide v1 fields that tie a job to other Google Cloud resources: Vertex Experiments
/// (<c>experiment</c>, <c>experimentRun</c>) and a Private Service Connect interface (<c>pscInterfaceConfig</c>).
/// </summary>
internal static partial class JobContextMapper
{
    /// <summary>Vertex Experiments names: lowercase letters, digits and hyphens, up to 128.</summary>
    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,127}\z")]
    private static partial Regex ExperimentName();

    [GeneratedRegex(@"^projects/[^/]+/locations/[a-z0-9-]+/metadataStores/[^/]+/contexts/[a-z0-9][a-z0-9-]{0,255}\z")]
    private static partial Regex ContextResource();

    [GeneratedRegex(@"^(projects/[a-z0-9-]+/regions/[a-z0-9-]+/networkAttachments/)?[a-z]([-a-z0-9]{0,61}[a-z0-9])?\z")]
    private static partial Regex NetworkAttachment();

    /// <summary>
    /// experiment and experimentRun as the API names them (CustomJobSpec: <c>projects/{p}/locations/{l}/metadataStores/{store}/contexts/{experiment}</c>,
    /// and <c>.../contexts/{experiment}-{run}</c> for the run); a short name is placed in the project's default metadata store.
    /// </summary>
    public static (string? Experiment, string? Run) ReadExperiment(JobInputs inputs, DiagnosticBag bag)
    {
        var experiment = inputs.Get(VertexProperty.Experiment);
        var run = inputs.Get(VertexProperty.ExperimentRun);
        if (experiment is null)
        {
            if (run is not null)
            {
                bag.Error(DiagnosticCodes.ExperimentRunWithoutExperiment, VertexProperty.ExperimentRun,
                    $"{VertexProperty.ExperimentRun} is '{run}' but {VertexProperty.Experiment} is not set; a run belongs to an experiment: set {VertexProperty.Experiment} too.");
            }

            return (null, null);
        }

        var store = $"projects/{inputs.Get(VertexProperty.Project)}/locations/{JobRegion(inputs)}/metadataStores/default/contexts/";
        var experimentName = Context(experiment, store, VertexProperty.Experiment, bag);
        var runName = run is null ? null : Context(run, experimentName is null ? store : experimentName + "-", VertexProperty.ExperimentRun, bag);
        return (experimentName, runName);
    }

    /// <summary>The region the job runs in: VertexRegion, or the default the builder uses too.</summary>
    private static string JobRegion(JobInputs inputs) => inputs.Get(VertexProperty.Region) ?? JobDocumentBuilder.DefaultRegion;

    private static string? Context(string value, string prefix, string property, DiagnosticBag bag)
    {
        if (ContextResource().IsMatch(value))
        {
            return value;
        }

        if (ExperimentName().IsMatch(value))
        {
            return prefix + value;
        }

        bag.Error(DiagnosticCodes.InvalidExperiment, property,
            $"{property} is '{value}'; give a name of lowercase letters, digits and hyphens (up to 128), or a full name projects/{{project}}/locations/{{region}}/metadataStores/default/contexts/{{name}}.");
        return null;
    }

    /// <summary>pscInterfaceConfig.networkAttachment: a PSC interface is the alternative to VPC peering (VertexNetwork), not an addition.</summary>
    public static PscInterfaceConfig? ReadPsc(JobInputs inputs, DiagnosticBag bag)
    {
        if (inputs.Get(VertexProperty.PscNetworkAttachment) is not { } attachment)
        {
            return null;
        }

        if (!NetworkAttachment().IsMatch(attachment))
        {
            bag.Error(DiagnosticCodes.InvalidPscNetworkAttachment, VertexProperty.PscNetworkAttachment,
                $"{VertexProperty.PscNetworkAttachment} is '{attachment}'; give a network attachment name (lowercase letters, digits, hyphens) or projects/{{project}}/regions/{{region}}/networkAttachments/{{name}}.");
            return null;
        }

        if (inputs.Get(VertexProperty.Network) is not null)
        {
            bag.Error(DiagnosticCodes.InvalidPscNetworkAttachment, VertexProperty.PscNetworkAttachment,
                $"{VertexProperty.PscNetworkAttachment} and {VertexProperty.Network} are both set; a job reaches a VPC either through VPC peering ({VertexProperty.Network}) or through a Private Service Connect interface, not both.");
            return null;
        }

        return new PscInterfaceConfig { NetworkAttachment = attachment };
    }

    /// <summary>
    /// protectedArtifactLocationId: the region where Vertex keeps the job's artifacts, which the API takes "only if different
    /// from the job's location" (cloud.google.com/vertex-ai/docs/reference/rest/v1/CustomJobSpec). The job's own region is
    /// left out with a warning rather than refused: it asks for what happens anyway, and a shared props file may set it.
    /// </summary>
    public static string? ReadProtectedArtifactLocation(JobInputs inputs, DiagnosticBag bag)
    {
        const string property = VertexProperty.ProtectedArtifactLocation;
        if (inputs.Get(property) is not { } location)
        {
            return null;
        }

        if (!ResourceFormats.Region().IsMatch(location))
        {
            bag.Error(DiagnosticCodes.InvalidProtectedArtifactLocation, property,
                $"{property} is '{location}'; expected a Vertex AI region id such as europe-west4 or us-east1 (not a zone like us-east1-b, nor a resource name).");
            return null;
        }

        var region = JobRegion(inputs);
        if (location == region)
        {
            bag.Warning(DiagnosticCodes.ProtectedArtifactLocationIsJobRegion, property,
                $"{property} is {location}, the job's own region ({VertexProperty.Region}), where its artifacts are kept anyway; it is left out of the job document. Set it only to keep artifacts in another region.");
            return null;
        }

        return location;
    }
}
