namespace VertexTraining.Local.Tests;

/// <summary>
/// What the local-run test classes set up alike: a folder of their own, a marker unique to the test (to find its
/// containers and processes), and the tool with its own job index and, unless told otherwise, a PATH without podman
/// or docker, so that runs are processes.
/// </summary>
internal sealed class LocalRunSetup : IDisposable
{
    public LocalRunSetup(string prefix, bool hideContainerEngines = true)
    {
        Temp = new TempDirectory(prefix);
        string? path = null;
        if (hideContainerEngines)
        {
            path = Temp.Combine("empty-path");
            Directory.CreateDirectory(path);
        }

        Cli = new Cli(Temp.Combine("index"), path);
    }

    public TempDirectory Temp { get; }

    public string Marker { get; } = "m" + Guid.NewGuid().ToString("N")[..12];

    public Cli Cli { get; }

    public void Dispose() => Temp.Dispose();
}
