// A stand-in training app: prints what Vertex would hand it, so tests can check the image.
Console.WriteLine($"args=[{string.Join(",", args)}]");
foreach (var name in new[] { "CUDA_VERSION", "NVIDIA_VISIBLE_DEVICES", "PATH", "LD_LIBRARY_PATH", "HOME" })
{
    Console.WriteLine($"env {name}={Environment.GetEnvironmentVariable(name)}");
}

Console.WriteLine($"cwd={Environment.CurrentDirectory}");
Console.WriteLine($"uid={RealUserId()}");
var probe = Path.Combine(Environment.CurrentDirectory, "write-probe.txt");
try
{
    File.WriteAllText(probe, "ok");
    Console.WriteLine("cwd-writable=true");
}
catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
{
    Console.WriteLine($"cwd-writable=false ({ex.GetType().Name})");
}

// The kernel's view of who we run as (USER is usually unset in containers).
static string RealUserId()
{
    try
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
        return line?.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) ?? "?";
    }
    catch (IOException)
    {
        return "?";
    }
}
