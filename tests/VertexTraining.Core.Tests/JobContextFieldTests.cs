using System.Text.Json.Nodes;
using VertexTraining.Core.Configuration;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Tests;

/// <summary>VertexExperiment, VertexExperimentRun, VertexPscNetworkAttachment and the reservation affinity: the documents they make, field by field, and the values they refuse.</summary>
public sealed class JobContextFieldTests
{
    private const string Store = "projects/my-project/locations/us-central1/metadataStores/default/contexts/";

    [Fact]
    public void Experiment_names_become_context_resources_in_the_projects_default_store()
    {
        var document = JobFixtures.BuildJson(JobFixtures.Baseline().Set(VertexProperty.Experiment, "moons").Set(VertexProperty.ExperimentRun, "lr-sweep-1"));

        Assert.Equal(Store + "moons", (string?)document["jobSpec"]!["experiment"]);
        Assert.Equal(Store + "moons-lr-sweep-1", (string?)document["jobSpec"]!["experimentRun"]);
    }

    [Fact]
    public void Full_experiment_resource_names_are_kept_as_given()
    {
        const string experiment = "projects/other/locations/europe-west4/metadataStores/default/contexts/moons";

        var document = JobFixtures.BuildJson(JobFixtures.Baseline().Set(VertexProperty.Experiment, experiment).Set(VertexProperty.ExperimentRun, "r2"));

        Assert.Equal(experiment, (string?)document["jobSpec"]!["experiment"]);
        Assert.Equal(experiment + "-r2", (string?)document["jobSpec"]!["experimentRun"]);
    }

    [Theory]
    [InlineData("my-attachment")]
    [InlineData("projects/my-project/regions/us-central1/networkAttachments/my-attachment")]
    public void A_psc_network_attachment_becomes_the_psc_interface_config(string attachment)
    {
        var document = JobFixtures.BuildJson(JobFixtures.Baseline().Set(VertexProperty.PscNetworkAttachment, attachment));

        Assert.True(JsonNode.DeepEquals(new JsonObject { ["networkAttachment"] = attachment }, document["jobSpec"]!["pscInterfaceConfig"]));
    }

    [Theory]
    [InlineData("None", """{"reservationAffinityType":"NO_RESERVATION"}""")]
    [InlineData("any", """{"reservationAffinityType":"ANY_RESERVATION"}""")]
    public void Reservation_affinity_none_and_any_go_to_every_pool_of_the_default_shape(string affinity, string expected)
    {
        var document = JobFixtures.BuildJson(JobFixtures.Baseline().Set(VertexProperty.ReservationAffinity, affinity).Set(VertexProperty.ReplicaCount, "3"));

        var pools = (JsonArray)document["jobSpec"]!["workerPoolSpecs"]!;
        Assert.Equal(2, pools.Count);
        Assert.All(pools, p => Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), p!["machineSpec"]!["reservationAffinity"])));
    }

    [Fact]
    public void A_specific_reservation_is_named_per_pool_under_the_reservation_name_key()
    {
        const string reservation = "projects/my-project/zones/us-central1-a/reservations/h100-block";
        var inputs = JobFixtures.Baseline()
            .Add(VertexItem.WorkerPool, "Primary", ("MachineType", "a3-highgpu-8g"), ("AcceleratorType", "NVIDIA_H100_80GB"), ("ReservationAffinity", "Specific"), ("Reservation", reservation))
            .Add(VertexItem.WorkerPool, "Workers", ("MachineType", "n1-standard-8"), ("ReplicaCount", "2"));

        var document = JobFixtures.BuildJson(inputs);

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse($$"""{"reservationAffinityType":"SPECIFIC_RESERVATION","key":"compute.googleapis.com/reservation-name","values":["{{reservation}}"]}"""),
            document["jobSpec"]!["workerPoolSpecs"]![0]!["machineSpec"]!["reservationAffinity"]));
        Assert.Null(document["jobSpec"]!["workerPoolSpecs"]![1]!["machineSpec"]!["reservationAffinity"]);
    }

    [Fact]
    public void Without_the_new_properties_the_document_has_none_of_their_fields()
    {
        var document = JobFixtures.BuildJson(JobFixtures.Baseline());

        var spec = (JsonObject)document["jobSpec"]!;
        Assert.False(spec.ContainsKey("experiment") || spec.ContainsKey("experimentRun") || spec.ContainsKey("pscInterfaceConfig"));
        Assert.False(((JsonObject)spec["workerPoolSpecs"]![0]!["machineSpec"]!).ContainsKey("reservationAffinity"));
    }

    public static TheoryData<string, string, string, string> InvalidValues() => new()
    {
        { VertexProperty.Experiment, "Moons_Experiment", DiagnosticCodes.InvalidExperiment, "VertexExperiment is 'Moons_Experiment'; give a name of lowercase letters" },
        { VertexProperty.ExperimentRun, "run-1", DiagnosticCodes.ExperimentRunWithoutExperiment, "VertexExperimentRun is 'run-1' but VertexExperiment is not set" },
        { VertexProperty.PscNetworkAttachment, "projects/p/global/networks/default", DiagnosticCodes.InvalidPscNetworkAttachment, "give a network attachment name" },
        { VertexProperty.ReservationAffinity, "Some", DiagnosticCodes.InvalidReservationAffinity, "VertexReservationAffinity is 'Some'; valid values are None, Any and Specific." },
        { VertexProperty.Reservation, "projects/p/zones/us-central1-a/reservations/r", DiagnosticCodes.InvalidReservation, "VertexReservation is set, but it is used only with VertexReservationAffinity Specific" },
    };

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public void Invalid_values_are_coded_errors_that_name_the_property_and_what_is_valid(string property, string value, string code, string message)
    {
        var diagnostic = Assert.Single(JobDocumentBuilder.Validate(JobFixtures.Baseline().Set(property, value)));

        Assert.Equal((code, property), (diagnostic.Code, diagnostic.Subject));
        Assert.Contains(message, diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_specific_affinity_without_a_reservation_names_VertexReservation()
    {
        var diagnostic = Assert.Single(JobDocumentBuilder.Validate(JobFixtures.Baseline().Set(VertexProperty.ReservationAffinity, "Specific")));

        Assert.Equal((DiagnosticCodes.InvalidReservation, VertexProperty.Reservation), (diagnostic.Code, diagnostic.Subject));
        Assert.Contains("with VertexReservationAffinity Specific give the reservation as projects/{project}/zones/{zone}/reservations/{name}", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_specific_reservation_with_a_malformed_name_names_the_pool()
    {
        var inputs = JobFixtures.Baseline().Add(VertexItem.WorkerPool, "Primary", ("ReservationAffinity", "Specific"), ("Reservation", "h100-block"));

        var diagnostic = Assert.Single(JobDocumentBuilder.Validate(inputs));

        Assert.Equal((DiagnosticCodes.InvalidReservation, "VertexWorkerPool 'Primary' Reservation"), (diagnostic.Code, diagnostic.Subject));
    }

    [Fact]
    public void Psc_and_vpc_peering_together_are_refused()
    {
        var inputs = JobFixtures.Baseline().Set(VertexProperty.PscNetworkAttachment, "my-attachment").Set(VertexProperty.Network, "projects/123/global/networks/default");

        var diagnostic = Assert.Single(JobDocumentBuilder.Validate(inputs));

        Assert.Equal(DiagnosticCodes.InvalidPscNetworkAttachment, diagnostic.Code);
        Assert.Contains("not both", diagnostic.Message, StringComparison.Ordinal);
    }
}
