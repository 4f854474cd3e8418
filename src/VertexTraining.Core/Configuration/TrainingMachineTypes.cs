namespace VertexTraining.Core.Configuration;

/// <summary>
/// The machine types Vertex AI custom training accepts, so that a typo (<c>n1-standrd-4</c>) is
/// caught at build time instead of by the API after the image was pushed. Sources: "Configure
/// compute resources for custom training" (cloud.google.com/vertex-ai/docs/training/configure-compute),
/// whose list has the CPU types below and whose GPU and TPU table gives the accelerator machine
/// types of <see cref="MachineCatalog"/>; the N4 sizes follow Compute Engine's machine-types page.
/// Types newer than this catalog pass with <c>VertexMachineTypeCheck=false</c>.
/// </summary>
public static class TrainingMachineTypes
{
    private static readonly HashSet<string> Known = Build();

    /// <summary>Every type the catalog knows, sorted.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Known.Order(StringComparer.Ordinal)];

    public static bool IsKnown(string machineType) => Known.Contains(machineType);

    /// <summary>
    /// Up to three known types nearest by edit distance, nearest first; among equals, the ones of
    /// about the same length first (a dropped letter in n1-standrd-4 suggests n1-standard-8 before
    /// n1-standard-64), then by name.
    /// </summary>
    public static IReadOnlyList<string> Nearest(string machineType) =>
        [.. All.Select(t => (Type: t, Distance: EditDistance(machineType, t)))
            .OrderBy(x => x.Distance)
            .ThenBy(x => Math.Abs(x.Type.Length - machineType.Length))
            .ThenBy(x => x.Type, StringComparer.Ordinal)
            .Take(3)
            .Select(x => x.Type)];

    private static HashSet<string> Build()
    {
        var types = new HashSet<string>(StringComparer.Ordinal);
        void Add(string prefix, params int[] sizes)
        {
            foreach (var size in sizes)
            {
                types.Add($"{prefix}-{size}");
            }
        }

        Add("e2-standard", 4, 8, 16, 32);
        Add("e2-highmem", 2, 4, 8, 16);
        Add("e2-highcpu", 16, 32);
        Add("n2-standard", 4, 8, 16, 32, 48, 64, 80);
        Add("n2-highmem", 2, 4, 8, 16, 32, 48, 64, 80);
        Add("n2-highcpu", 16, 32, 48, 64, 80);
        Add("n4-standard", 2, 4, 8, 16, 32, 48, 64, 80);
        Add("n4-highmem", 2, 4, 8, 16, 32, 48, 64, 80);
        Add("n4-highcpu", 2, 4, 8, 16, 32, 48, 64, 80);
        Add("n1-standard", 4, 8, 16, 32, 64, 96);
        Add("n1-highmem", 2, 4, 8, 16, 32, 64, 96);
        Add("n1-highcpu", 16, 32, 64, 96);
        Add("c2-standard", 4, 8, 16, 30, 60);
        Add("m1-ultramem", 40, 80, 160);
        Add("m1-megamem", 96);
        types.UnionWith(MachineCatalog.AcceleratorTypes.SelectMany(MachineCatalog.MachineTypesFor));
        // TPU VMs chosen by machine type and tpuTopology rather than an accelerator type.
        types.UnionWith(["ct5lp-hightpu-1t", "ct5lp-hightpu-4t", "ct5lp-hightpu-8t",
            "ct6e-standard-1t", "ct6e-standard-4t", "ct6e-standard-8t", "tpu7x-standard-4t"]);
        return types;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
