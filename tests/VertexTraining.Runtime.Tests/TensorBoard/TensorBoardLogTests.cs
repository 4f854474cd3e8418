using System.Text;
using VertexTraining.Testing.TensorBoard;

namespace VertexTraining.Runtime.Tests.TensorBoard;

public class TensorBoardLogTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_decoder_computes_the_published_CRC_32C_check_value()
    {
        // RFC 3720 B.4 and every CRC catalogue: CRC-32C("123456789") = 0xE3069283.
        Assert.Equal(0xE3069283u, EventFileDecoder.Crc32C(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void Scalars_read_back_with_tags_steps_and_values_exactly_and_the_version_first()
    {
        var clock = 1_767_000_000.25;
        using var writer = new TensorBoardEventWriter(_temp.Combine("logs"), clock: () => clock += 1);
        var points = new (string Tag, double Value, long Step)[]
        {
            ("loss", 0.6931471805599453, 0), ("loss", 0.1, 1), ("train/accuracy", 0.875, 1),
            ("loss", -3.5e-12, 4_000_000_000_000), ("été ü", double.MaxValue, long.MaxValue), ("loss", 1e300, -1),
        };
        foreach (var (tag, value, step) in points)
        {
            writer.Scalar(tag, value, step);
        }

        var file = Assert.Single(Directory.GetFiles(_temp.Combine("logs")));
        Assert.Equal(writer.FilePath, file);
        Assert.StartsWith("events.out.tfevents.", Path.GetFileName(file));

        var events = EventFileDecoder.Read(file);
        Assert.Equal(points.Length + 1, events.Count);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Empty(events[0].Scalars);
        Assert.Equal(1_767_000_001.25, events[0].WallTime);
        for (var i = 0; i < points.Length; i++)
        {
            var (tag, value, step) = points[i];
            var decoded = events[i + 1];
            Assert.Null(decoded.FileVersion);
            Assert.Equal(step, decoded.Step);
            Assert.Equal(1_767_000_002.25 + i, decoded.WallTime);
            Assert.Equal([(tag, (float)value)], decoded.Scalars);
        }
    }

    [Fact]
    public void Writers_sharing_a_directory_get_files_of_their_own_and_none_before_the_first_point()
    {
        var directory = _temp.Combine("shared");
        using var first = new TensorBoardEventWriter(directory);
        using var second = new TensorBoardEventWriter(directory);
        Assert.False(Directory.Exists(directory));

        first.Scalar("a", 1, 1);
        second.Scalar("b", 2, 1);

        Assert.Equal(2, Directory.GetFiles(directory).Length);
        Assert.NotEqual(first.FilePath, second.FilePath);
        Assert.Equal(("b", 2f), EventFileDecoder.Read(second.FilePath!)[1].Scalars.Single());
    }

    [Fact]
    public void HyperTune_reports_become_curves_with_the_default_tag_and_counted_steps_when_none_is_given()
    {
        using var curves = new TensorBoardEventWriter(_temp.Combine("logs"));
        var reporter = new HyperTuneReporter(_temp.Combine("metrics", "output.metrics")) { Curves = curves };

        reporter.Report("accuracy", 0.5, step: 10);
        reporter.Report("accuracy", 0.75, step: 20);
        reporter.Report("", 3.0);
        reporter.Report("", 4.0);

        var scalars = EventFileDecoder.Read(curves.FilePath!).Skip(1).Select(e => (e.Step, e.Scalars.Single())).ToList();
        Assert.Equal(
            [(10L, ("accuracy", 0.5f)), (20L, ("accuracy", 0.75f)), (0L, ("training/hptuning/metric", 3f)), (1L, ("training/hptuning/metric", 4f))],
            scalars);
    }

    [Fact]
    public void A_log_directory_that_cannot_be_written_stops_the_curves_but_not_the_metric_file()
    {
        var blocked = _temp.Combine("a-file");
        File.WriteAllText(blocked, "not a folder");
        var reporter = new HyperTuneReporter(_temp.Combine("metrics", "output.metrics"))
        {
            Curves = new TensorBoardEventWriter(Path.Combine(blocked, "logs")),
        };

        reporter.Report("accuracy", 0.5, step: 1);
        reporter.Report("accuracy", 0.6, step: 2);

        Assert.Null(reporter.Curves);
        Assert.Equal(2, File.ReadAllLines(reporter.MetricPath).Length);
        Assert.ThrowsAny<IOException>(() => new TensorBoardEventWriter(Path.Combine(blocked, "logs")).Scalar("loss", 1, 1));
    }

    [Fact]
    public async Task A_killed_training_process_keeps_every_point_it_wrote_from_both_TensorBoardLog_and_HyperTune()
    {
        var logs = _temp.Combine("trial-1", "logs");
        using var child = ChildApp.Start(new Dictionary<string, string?>
        {
            ["AIP_TENSORBOARD_LOG_DIR"] = logs + "/",
            ["CLOUD_ML_HP_METRIC_FILE"] = _temp.Combine("metrics", "output.metrics"),
        }, "curves", "40");
        await child.WaitForLineAsync("DONE", Timeout);
        child.KillHard();
        await child.WaitForExitAsync(Timeout);

        // SIGKILL runs no exit handler: what is on disk is what each Scalar call already handed to the OS.
        var file = Assert.Single(Directory.GetFiles(logs));
        var events = EventFileDecoder.Read(file);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        var expected = Enumerable.Range(1, 40).SelectMany(step => new[]
        {
            (Step: (long)step, Tag: "loss", Value: (float)(1.0 / step)),
            (Step: (long)step, Tag: "accuracy", Value: (float)(step / 40.0)),
        });
        Assert.Equal(expected, events.Skip(1).Select(e => (e.Step, e.Scalars.Single().Tag, e.Scalars.Single().Value)));
    }

    [Fact]
    public void Without_the_log_directory_variable_nothing_is_configured()
    {
        // The test host has no AIP_TENSORBOARD_LOG_DIR: Default stays null and Scalar writes nothing.
        Assert.Null(Environment.GetEnvironmentVariable(TensorBoardLog.LogDirVariable));
        Assert.Null(TensorBoardLog.Default);
        TensorBoardLog.Scalar("loss", 1, 1);
    }
}
