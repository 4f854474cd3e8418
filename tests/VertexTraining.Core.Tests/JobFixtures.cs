using System.Text.Json;
using System.Text.Json.Nodes;
using VertexTraining.Core.Configuration;

namespace VertexTraining.Core.Tests;

/// <summary>Inputs and JSON helpers shared by the mapping and validation tests.</summary>
internal static class JobFixtures
{
    /// <summary>The image every pool runs unless a pool names its own: a digest reference, as after a push.</summary>
    public const string Image = "us-central1-docker.pkg.dev/my-project/training/trainer@sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /// <summary>The smallest valid Cloud configuration; each validation case breaks exactly one thing in it.</summary>
    public static JobInputs Baseline() => new JobInputs()
        .Set(VertexProperty.Project, "my-project")
        .Set(VertexProperty.ArtifactRepository, "training")
        .Set(VertexProperty.MachineType, "n1-standard-4")
        .Set(VertexProperty.Target, "Cloud");

    /// <summary>Makes <paramref name="inputs"/> a valid tuning job: one metric, one Double parameter.</summary>
    public static JobInputs WithTuning(this JobInputs inputs) => inputs
        .Add(VertexItem.Metric, "accuracy", ("Goal", "Maximize"))
        .Add(VertexItem.Hyperparameter, "lr", ("Type", "Double"), ("Min", "0.0001"), ("Max", "0.1"), ("Scale", "Log"));

    /// <summary>Builds and parses the document, failing the test with the diagnostics when there is none.</summary>
    public static JsonObject BuildJson(JobInputs inputs)
    {
        var result = JobDocumentBuilder.Build(inputs, Image);
        Assert.True(result.Succeeded, "Expected a document, got: " + string.Join(Environment.NewLine, result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        return JsonNode.Parse(result.Document!.ToJson())!.AsObject();
    }

    /// <summary>workerPoolSpecs of a CustomJob (jobSpec) or a tuning job (trialJobSpec).</summary>
    public static JsonArray Pools(JsonObject document) =>
        (document["jobSpec"] ?? document["trialJobSpec"])!["workerPoolSpecs"]!.AsArray();

    public static void AssertString(string expected, JsonNode? node)
    {
        Assert.NotNull(node);
        Assert.Equal(JsonValueKind.String, node.GetValueKind());
        Assert.Equal(expected, node.GetValue<string>());
    }

    public static void AssertNumber(double expected, JsonNode? node)
    {
        Assert.NotNull(node);
        Assert.Equal(JsonValueKind.Number, node.GetValueKind());
        Assert.Equal(expected, node.GetValue<double>());
    }

    public static void AssertBool(bool expected, JsonNode? node)
    {
        Assert.NotNull(node);
        Assert.Equal(expected ? JsonValueKind.True : JsonValueKind.False, node.GetValueKind());
    }

    /// <summary>Exact structural equality (values and JSON types), with both sides printed on failure.</summary>
    public static void AssertJsonEqual(string expectedJson, JsonNode? actual)
    {
        var expected = JsonNode.Parse(expectedJson);
        Assert.True(JsonNode.DeepEquals(expected, actual),
            $"JSON differs.{Environment.NewLine}Expected:{Environment.NewLine}{expected?.ToJsonString(Indented)}{Environment.NewLine}Actual:{Environment.NewLine}{actual?.ToJsonString(Indented)}");
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
