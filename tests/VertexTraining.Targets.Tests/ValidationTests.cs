using VertexTraining.Targets.Tests.Infrastructure;

namespace VertexTraining.Targets.Tests;

/// <summary>
/// Bad configurations fail SubmitTraining with their documented VTX code, and only VTX1xxx configuration errors,
/// before anything is built or written: the image build is never reached and the project folder stays as it was.
/// (That the documented `dotnet publish` command prints the code in MSBuild's canonical format is shown end to
/// end once, in VertexTraining.Build.Tests.)
/// </summary>
public sealed class ValidationTests
{
    private static readonly Dictionary<string, ValidationCase> Cases = BuildCases();

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Bad_configuration_fails_with_its_code_before_anything_is_built(string name)
    {
        var @case = Cases[name];
        using var project = TargetsProject.Create(@case.Items is null ? "" : $"  <ItemGroup>\n{@case.Items}\n  </ItemGroup>");
        var properties = BaseProperties(name);
        foreach (var (property, value) in @case.Properties)
        {
            properties[property] = value;
        }

        var run = project.Build(properties, "SubmitTraining");

        Assert.False(run.Succeeded, $"Expected {@case.Code}, but the build succeeded.\n{run.Describe()}");
        Assert.True(run.Errors.Any(e => e.Code == @case.Code), $"Expected error {@case.Code}.\n{run.Describe()}");
        // Only our coded errors: a crash (MSB4018) or an SDK error would mean validation came too late.
        Assert.True(run.Errors.All(e => e.Code.StartsWith("VTX1", StringComparison.Ordinal)),
            $"Every error must be a VTX1xxx configuration error.\n{run.Describe()}");
        Assert.DoesNotContain("_VertexBuildImage", run.TargetsStarted);
        Assert.Empty(project.FilesWrittenByTheBuild());
    }

    [Fact]
    public void There_are_at_least_thirty_distinct_bad_configurations()
    {
        Assert.True(Cases.Count >= 30, $"only {Cases.Count} cases");
        Assert.Equal(Cases.Count, Cases.Values.Select(c => (string.Join(";", c.Properties), c.Items)).Distinct().Count());
    }

    /// <summary>
    /// A valid Cloud configuration, as the end-to-end tests give it on the command line: each case breaks one thing.
    /// The quota check is off so that a case that wrongly passes validation cannot reach Google.
    /// </summary>
    private static Dictionary<string, string> BaseProperties(string caseName) => new()
    {
        ["VertexProject"] = "my-project",
        ["VertexArtifactRepository"] = "training",
        ["ContainerRegistry"] = "registry.test",
        ["ContainerRepository"] = "vertex-tests/invalid-" + caseName,
        ["VertexQuotaCheck"] = "false",
    };

    private static Dictionary<string, ValidationCase> BuildCases()
    {
        static ValidationCase P(string code, params (string Name, string Value)[] properties) => new(code, properties, null);
        static ValidationCase I(string code, string items, params (string Name, string Value)[] properties) => new(code, properties, items);
        static string Labels(int count) => string.Join("\n", Enumerable.Range(0, count).Select(i => $"    <VertexLabel Include=\"label-{i}\" Value=\"v\" />"));
        static string Env(int count) => string.Join("\n", Enumerable.Range(0, count).Select(i => $"    <VertexEnvironmentVariable Include=\"VAR_{i}\" Value=\"v\" />"));
        const string Tunable = """
                <VertexMetric Include="accuracy" Goal="Maximize" />
                <VertexHyperparameter Include="learning_rate" Type="Double" Min="0.001" Max="0.1" />
            """;

        return new Dictionary<string, ValidationCase>
        {
            ["target-unknown"] = P("VTX1001", ("VertexTarget", "Moon")),
            ["cloud-without-project"] = P("VTX1002", ("VertexTarget", "Cloud"), ("VertexProject", "")),
            ["project-id-with-underscore"] = P("VTX1003", ("VertexProject", "My_Project")),
            ["region-is-a-zone"] = P("VTX1004", ("VertexRegion", "us-central1-a")),
            ["artifact-repository-path"] = P("VTX1005", ("VertexArtifactRepository", "my-project/training")),
            ["cloud-without-registry"] = P("VTX1006", ("VertexArtifactRepository", ""), ("ContainerRegistry", "")),
            ["dry-run-not-a-bool"] = P("VTX1007", ("VertexDryRun", "maybe")),
            ["web-access-not-a-bool"] = P("VTX1007", ("VertexEnableWebAccess", "yes")),
            ["api-endpoint-not-http"] = P("VTX1008", ("VertexApiEndpoint", "ftp://vertex.example")),
            ["display-name-too-long"] = P("VTX1010", ("VertexJobDisplayName", new string('x', 129))),
            ["label-key-uppercase"] = I("VTX1011", """    <VertexLabel Include="Team" Value="vision" />"""),
            ["label-value-with-space"] = I("VTX1012", """    <VertexLabel Include="team" Value="Vision Team" />"""),
            ["too-many-labels"] = I("VTX1013", Labels(61)),
            ["duplicate-label"] = I("VTX1014", """
                    <VertexLabel Include="team" Value="a" />
                    <VertexLabel Include="team" Value="b" />
                """),
            ["machine-type-malformed"] = P("VTX1020", ("VertexMachineType", "n1_standard_4")),
            ["accelerator-unknown"] = P("VTX1021", ("VertexAcceleratorType", "NVIDIA_TESLA_K80")),
            ["accelerator-not-on-machine"] = P("VTX1022", ("VertexMachineType", "n1-standard-4"), ("VertexAcceleratorType", "NVIDIA_L4")),
            ["accelerator-count-invalid"] = P("VTX1023", ("VertexAcceleratorType", "NVIDIA_TESLA_T4"), ("VertexAcceleratorCount", "3")),
            ["accelerator-count-without-type"] = P("VTX1024", ("VertexAcceleratorCount", "2")),
            ["gpu-machine-without-accelerator"] = P("VTX1025", ("VertexMachineType", "a2-highgpu-1g")),
            ["machine-type-misspelt"] = P("VTX1121", ("VertexMachineType", "n1-standrd-4")),
            ["gpu-partition-not-mig"] = P("VTX1179", ("VertexGpuPartitionSize", "half")),
            ["tpu-topology-on-gpu-machine"] = P("VTX1180", ("VertexTpuTopology", "2x2")),
            ["nfs-mount-without-path"] = I("VTX1181", """    <VertexNfsMount Include="data" Server="10.0.0.2" />"""),
            ["lustre-mount-ip-not-ipv4"] = I("VTX1182", """    <VertexLustreMount Include="scratch" InstanceIp="lustre.internal" VolumeHandle="vh" Filesystem="lfs" />"""),
            ["protected-artifact-location-zone"] = P("VTX1183", ("VertexProtectedArtifactLocation", "europe-west4-a")),
            ["boot-disk-too-small"] = P("VTX1026", ("VertexBootDiskSizeGb", "50")),
            ["boot-disk-type-unknown"] = P("VTX1027", ("VertexBootDiskType", "pd-fast")),
            ["replica-count-zero"] = P("VTX1030", ("VertexReplicaCount", "0")),
            ["worker-pool-unknown"] = I("VTX1031", """
                    <VertexWorkerPool Include="Primary" />
                    <VertexWorkerPool Include="Chief" />
                """),
            ["worker-pool-twice"] = I("VTX1032", """
                    <VertexWorkerPool Include="Primary" />
                    <VertexWorkerPool Include="Primary" MachineType="n1-standard-8" />
                """),
            ["primary-pool-replicas"] = I("VTX1033", """    <VertexWorkerPool Include="Primary" ReplicaCount="2" />"""),
            ["pools-without-primary"] = I("VTX1034", """    <VertexWorkerPool Include="Workers" ReplicaCount="2" />"""),
            ["replica-count-with-pools"] = I("VTX1035", """    <VertexWorkerPool Include="Primary" />""", ("VertexReplicaCount", "3")),
            ["tpu-with-replicas"] = P("VTX1036", ("VertexMachineType", "cloud-tpu"), ("VertexAcceleratorType", "TPU_V3"), ("VertexAcceleratorCount", "8"), ("VertexReplicaCount", "2")),
            ["timeout-unparsable"] = P("VTX1040", ("VertexTimeout", "forever")),
            ["scheduling-strategy-unknown"] = P("VTX1041", ("VertexSchedulingStrategy", "Preemptible")),
            ["max-wait-without-flex-start"] = P("VTX1042", ("VertexSchedulingStrategy", "Spot"), ("VertexMaxWaitDuration", "1h")),
            ["too-many-environment-variables"] = I("VTX1050", Env(99)),
            ["environment-variable-name-invalid"] = I("VTX1051", """    <VertexEnvironmentVariable Include="1BAD" Value="x" />"""),
            ["environment-variable-twice"] = I("VTX1052", """
                    <VertexEnvironmentVariable Include="MODE" Value="a" />
                    <VertexEnvironmentVariable Include="MODE" Value="b" />
                """),
            ["arguments-too-long"] = I("VTX1053", $"""    <VertexArg Include="--blob={new string('a', 100_001)}" />"""),
            ["output-directory-not-gcs"] = P("VTX1060", ("VertexBaseOutputDirectory", "s3://bucket/runs")),
            ["service-account-not-email"] = P("VTX1061", ("VertexServiceAccount", "trainer")),
            ["network-short-name"] = P("VTX1062", ("VertexNetwork", "default")),
            ["tensorboard-short-name"] = P("VTX1063", ("VertexTensorboard", "tb-1")),
            ["kms-key-short-name"] = P("VTX1064", ("VertexKmsKeyName", "my-key")),
            ["persistent-resource-uppercase"] = P("VTX1065", ("VertexPersistentResourceId", "Pool_1")),
            ["tuning-without-metric"] = I("VTX1070", """    <VertexHyperparameter Include="learning_rate" Type="Double" Min="0.001" Max="0.1" />"""),
            ["metric-goal-unknown"] = I("VTX1071", """
                    <VertexMetric Include="accuracy" Goal="Up" />
                    <VertexHyperparameter Include="learning_rate" Type="Double" Min="0.001" Max="0.1" />
                """),
            ["metric-id-with-space"] = I("VTX1072", """
                    <VertexMetric Include="val accuracy" Goal="Maximize" />
                    <VertexHyperparameter Include="learning_rate" Type="Double" Min="0.001" Max="0.1" />
                """),
            ["parameter-id-with-space"] = I("VTX1073", """
                    <VertexMetric Include="accuracy" Goal="Maximize" />
                    <VertexHyperparameter Include="learning rate" Type="Double" Min="0.001" Max="0.1" />
                """),
            ["parameter-twice"] = I("VTX1074", Tunable + """
                    <VertexHyperparameter Include="learning_rate" Type="Double" Min="0.01" Max="0.2" />
                """),
            ["parameter-type-unknown"] = I("VTX1075", """
                    <VertexMetric Include="accuracy" Goal="Maximize" />
                    <VertexHyperparameter Include="learning_rate" Type="Float" Min="0.001" Max="0.1" />
                """),
            ["parameter-min-above-max"] = I("VTX1076", """
                    <VertexMetric Include="accuracy" Goal="Maximize" />
                    <VertexHyperparameter Include="layers" Type="Integer" Min="8" Max="2" />
                """),
            ["parameter-scale-unknown"] = I("VTX1077", """
                    <VertexMetric Include="accuracy" Goal="Maximize" />
                    <VertexHyperparameter Include="learning_rate" Type="Double" Min="0.001" Max="0.1" Scale="Exponential" />
                """),
            ["log-scale-from-zero"] = I("VTX1077", """
                    <VertexMetric Include="accuracy" Goal="Maximize" />
                    <VertexHyperparameter Include="dropout" Type="Double" Min="0" Max="0.5" Scale="Log" />
                """),
            ["discrete-values-unordered"] = I("VTX1078", """
                    <VertexMetric Include="accuracy" Goal="Maximize" />
                    <VertexHyperparameter Include="batch_size" Type="Discrete" Values="64;32" />
                """),
            ["max-trial-count-zero"] = I("VTX1079", Tunable, ("VertexMaxTrialCount", "0")),
            ["parallel-trial-count-zero"] = I("VTX1079", Tunable, ("VertexParallelTrialCount", "0")),
            ["search-algorithm-unknown"] = I("VTX1080", Tunable, ("VertexSearchAlgorithm", "Bayesian")),
            ["grid-over-double"] = I("VTX1081", Tunable, ("VertexSearchAlgorithm", "Grid")),
            ["measurement-selection-unknown"] = I("VTX1082", Tunable, ("VertexMeasurementSelection", "Worst")),
            ["early-stopping-unknown"] = I("VTX1150", Tunable, ("VertexEarlyStopping", "Convex")),
            ["conditional-parent-unknown"] = I("VTX1083", Tunable + """
                    <VertexHyperparameter Include="momentum" Type="Double" Min="0" Max="0.9" ParentParameter="optimizer" ParentValues="sgd" />
                """),
            ["cuda-version-unknown"] = P("VTX1090", ("VertexCudaVersion", "11.8")),
            ["cuda-flavor-unknown"] = P("VTX1091", ("VertexCudaFlavor", "devel")),
            ["ubuntu-version-unknown"] = P("VTX1092", ("VertexUbuntuVersion", "20.04")),
            ["cuda-flavor-not-in-release"] = P("VTX1093", ("VertexCudaVersion", "12.2.2"), ("VertexCudaFlavor", "cudnn-runtime")),
        };
    }

    private sealed record ValidationCase(string Code, (string Name, string Value)[] Properties, string? Items);
}
