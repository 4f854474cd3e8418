using VertexTraining.Runtime;

// What the Runtime sees of the NVIDIA driver, then EnsureGpus asked for exactly the visible count
// (must pass) and for one more (must fail with GpuNotAvailableException, naming the shortfall).
var probe = GpuCheck.Probe();
Console.WriteLine($"probe: devices={probe.DeviceCount?.ToString() ?? "unknown"} source={probe.Source ?? "none"} driverLibraryLoaded={probe.DriverLibraryLoaded}");
foreach (var line in probe.Diagnostics)
{
    Console.WriteLine($"probe: {line}");
}

if (probe.DeviceCount is not { } visible)
{
    Console.WriteLine("EnsureGpus: not run, the driver reported no device count");
    return 1;
}

var failures = 0;
foreach (var requested in new[] { visible, visible + 1 })
{
    var environment = TrainingEnvironment.FromVariables(new Dictionary<string, string>
    {
        [TrainingEnvironment.AcceleratorCountVariable] = requested.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });
    try
    {
        environment.EnsureGpus();
        Console.WriteLine($"EnsureGpus with {requested} requested: passed");
        failures += requested > visible ? 1 : 0;
    }
    catch (GpuNotAvailableException e)
    {
        Console.WriteLine($"EnsureGpus with {requested} requested: {e.GetType().Name}: {e.Message}");
        failures += requested <= visible ? 1 : 0;
    }
}

return failures == 0 ? 0 : 1;
