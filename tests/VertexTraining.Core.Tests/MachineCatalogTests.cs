using VertexTraining.Core.Configuration;

namespace VertexTraining.Core.Tests;

public sealed class MachineCatalogTests
{
    [Theory]
    [InlineData("a2-highgpu-1g", true)]
    [InlineData("a2-ultragpu-8g", true)]
    [InlineData("a3-highgpu-8g", true)]
    [InlineData("a4-highgpu-8g", true)]
    [InlineData("a4x-highgpu-4g", true)]
    [InlineData("g2-standard-4", true)]
    [InlineData("g4-standard-48", true)]
    [InlineData("n1-standard-4", false)]
    [InlineData("n2-standard-8", false)]
    [InlineData("e2-standard-4", false)]
    [InlineData("cloud-tpu", false)]
    [InlineData("a2", true)]
    public void Gpu_only_families_require_an_accelerator(string machineType, bool expected)
    {
        Assert.Equal(expected, MachineCatalog.RequiresAccelerator(machineType));
    }

    [Theory]
    [InlineData("a2-highgpu-1g", "NVIDIA_TESLA_A100")]
    [InlineData("a2-ultragpu-2g", "NVIDIA_A100_80GB")]
    [InlineData("a3-highgpu-8g", "NVIDIA_H100_80GB")]
    [InlineData("a3-megagpu-8g", "NVIDIA_H100_MEGA_80GB")]
    [InlineData("a3-ultragpu-8g", "NVIDIA_H200_141GB")]
    [InlineData("g2-standard-96", "NVIDIA_L4")]
    [InlineData("g4-standard-384", "NVIDIA_RTX_PRO_6000")]
    public void Gpu_machines_name_their_one_accelerator(string machineType, string accelerator)
    {
        Assert.Equal([accelerator], MachineCatalog.AcceleratorsForMachine(machineType));
    }

    [Fact]
    public void N1_machines_take_the_attachable_gpus_only()
    {
        Assert.Equal(
            ["NVIDIA_TESLA_P100", "NVIDIA_TESLA_P4", "NVIDIA_TESLA_T4", "NVIDIA_TESLA_V100"],
            MachineCatalog.AcceleratorsForMachine("n1-standard-4").Order(StringComparer.Ordinal));
        Assert.Empty(MachineCatalog.AcceleratorsForMachine("n2-standard-8"));
    }

    [Theory]
    [InlineData("NVIDIA_TESLA_T4", "n1-standard-4", new[] { 1, 2, 4 })]
    [InlineData("NVIDIA_TESLA_T4", "n1-standard-32", new[] { 2, 4 })]
    [InlineData("NVIDIA_TESLA_T4", "n1-highcpu-64", new[] { 4 })]
    [InlineData("NVIDIA_TESLA_V100", "n1-standard-8", new[] { 1, 2, 4, 8 })]
    [InlineData("NVIDIA_TESLA_V100", "n1-standard-16", new[] { 2, 4, 8 })]
    [InlineData("NVIDIA_TESLA_V100", "n1-standard-96", new[] { 8 })]
    [InlineData("NVIDIA_TESLA_A100", "a2-megagpu-16g", new[] { 16 })]
    [InlineData("NVIDIA_L4", "g2-standard-24", new[] { 2 })]
    [InlineData("NVIDIA_GB200", "a4x-highgpu-4g", new[] { 4 })]
    [InlineData("TPU_V2", "cloud-tpu", new[] { 8, 32, 64, 128, 256, 512 })]
    public void Counts_follow_the_compute_table(string accelerator, string machineType, int[] counts)
    {
        Assert.Equal(counts, MachineCatalog.CountsFor(accelerator, machineType));
    }

    [Theory]
    [InlineData("NVIDIA_TESLA_P100", "n1-standard-64")] // P100 stops at 32 vCPUs.
    [InlineData("NVIDIA_TESLA_T4", "a2-highgpu-1g")]
    [InlineData("NVIDIA_TESLA_A100", "a2-ultragpu-1g")] // The 80 GB A100 is a different type.
    [InlineData("NVIDIA_TESLA_T4", "N1-STANDARD-4")] // Machine types are lowercase.
    [InlineData("nvidia_tesla_t4", "n1-standard-4")] // The builder upper-cases before asking.
    [InlineData("NVIDIA_TESLA_K80", "n1-standard-4")]
    public void Unfitting_pairs_have_no_counts(string accelerator, string machineType)
    {
        Assert.Null(MachineCatalog.CountsFor(accelerator, machineType));
    }

    [Fact]
    public void Known_accelerators_and_their_machines()
    {
        Assert.True(MachineCatalog.IsKnownAccelerator("NVIDIA_H100_80GB"));
        Assert.False(MachineCatalog.IsKnownAccelerator("nvidia_h100_80gb"));
        Assert.False(MachineCatalog.IsKnownAccelerator("NVIDIA_TESLA_K80"));
        Assert.True(MachineCatalog.IsTpu("TPU_V3"));
        Assert.False(MachineCatalog.IsTpu("NVIDIA_L4"));
        Assert.Equal(["cloud-tpu"], MachineCatalog.MachineTypesFor("TPU_V3"));
        Assert.Contains("a2-highgpu-8g", MachineCatalog.MachineTypesFor("NVIDIA_TESLA_A100"));
        Assert.Empty(MachineCatalog.MachineTypesFor("NVIDIA_TESLA_K80"));
        Assert.Equal(MachineCatalog.AcceleratorTypes.Count, MachineCatalog.AcceleratorTypes.Distinct().Count());
        Assert.All(MachineCatalog.AcceleratorTypes, t => Assert.NotEmpty(MachineCatalog.MachineTypesFor(t)));
    }

    [Fact]
    public void Every_gpu_only_machine_in_the_table_names_its_accelerator()
    {
        var machines = MachineCatalog.AcceleratorTypes.SelectMany(MachineCatalog.MachineTypesFor).Distinct();

        Assert.All(machines.Where(MachineCatalog.RequiresAccelerator), m => Assert.Single(MachineCatalog.AcceleratorsForMachine(m)));
    }
}
