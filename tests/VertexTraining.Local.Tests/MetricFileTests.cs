using VertexTraining.Core.Local;
using VertexTraining.Core.Local.Search;
using VertexTraining.Runtime;

namespace VertexTraining.Local.Tests;

public sealed class MetricFileTests
{
    [Fact]
    public void Reads_what_the_runtime_library_reports_and_selects_the_last_or_best_measurement()
    {
        using var temp = new TempDirectory("metric");
        var path = temp.Combine("metrics", "workerpool0-0.metrics");
        var reporter = new HyperTuneReporter(path, "4", clock: () => 1_700_000_010.5);
        reporter.Report("accuracy", 0.5, step: 10);
        reporter.Report("loss", 2.0, step: 10);
        reporter.Report("accuracy", 0.9, step: 20);
        reporter.Report("accuracy", 0.7, step: 30);

        var records = MetricFile.Read(path, "accuracy", out var others);

        Assert.Equal([0.5, 0.9, 0.7], records.Select(r => r.Value));
        Assert.Equal([10L, 20L, 30L], records.Select(r => r.Step));
        Assert.Equal(["loss"], others);

        var start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var last = MetricFile.Measure(records, "accuracy", best: false, MetricGoal.Maximize, start)!.Value;
        Assert.Equal(0.7, last.Final.Metrics![0].Value);
        Assert.Equal(30, last.Final.StepCount);
        Assert.Equal("10.5s", last.Final.ElapsedDuration);
        Assert.Equal(3, last.Measurements.Count);

        Assert.Equal(0.9, MetricFile.Measure(records, "accuracy", best: true, MetricGoal.Maximize, null)!.Value.Final.Metrics![0].Value);
        Assert.Equal(0.5, MetricFile.Measure(records, "accuracy", best: true, MetricGoal.Minimize, null)!.Value.Final.Metrics![0].Value);
    }

    [Fact]
    public void A_missing_file_or_other_tags_only_give_no_measurement()
    {
        using var temp = new TempDirectory("metric");
        Assert.Empty(MetricFile.Read(temp.Combine("none.metrics"), "accuracy", out _));

        var path = temp.Combine("other.metrics");
        new HyperTuneReporter(path).Report("acc", 1);
        var records = MetricFile.Read(path, "accuracy", out var others);
        Assert.Empty(records);
        Assert.Equal(["acc"], others);
        Assert.Null(MetricFile.Measure(records, "accuracy", best: false, MetricGoal.Maximize, null));
    }

    [Fact]
    public void Torn_lines_numbers_and_non_finite_values_are_handled()
    {
        using var temp = new TempDirectory("metric");
        var path = temp.Combine("mixed.metrics");
        File.WriteAllLines(path,
        [
            """{"accuracy": "0.25", "global_step": "1", "timestamp": 1.0, "trial": "1", "checkpoint_path": ""}""",
            """{"accuracy": "nan", "global_step": "2"}""",
            """{"accur""",
            """{"accuracy": 0.75, "global_step": 3}""",
            "",
        ]);

        var records = MetricFile.Read(path, "accuracy", out _);

        Assert.Equal([0.25, 0.75], records.Select(r => r.Value));
        Assert.Equal([1L, 3L], records.Select(r => r.Step));
    }
}
