namespace VertexTraining.Runtime.Tests;

[Collection(ProcessEnvironmentCollection.Name)]
public class HyperTuneTests
{
    // The only test that touches the process-wide reporter, which reads the environment once.
    [Fact]
    public void The_static_entry_point_writes_to_the_file_named_by_the_environment()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("static", "output.metrics");
        using var scope = new EnvironmentScope()
            .Set("CLOUD_ML_HP_METRIC_FILE", path)
            .Set("CLOUD_ML_TRIAL_ID", "3");

        HyperTune.Report("accuracy", 0.93, step: 100);

        var line = Assert.Single(File.ReadAllLines(path));
        Assert.StartsWith("{\"accuracy\": \"0.93\", \"checkpoint_path\": \"\", \"global_step\": \"100\", \"timestamp\": ", line);
        Assert.EndsWith(", \"trial\": \"3\"}", line);
        Assert.Same(HyperTune.Default, HyperTune.Default);
    }
}
