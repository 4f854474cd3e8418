using System.Text;
using System.Text.Json;

namespace VertexTraining.Runtime.Tests;

public class HyperTuneReporterTests : IDisposable
{
    private const double Timestamp = 1525851440.123456;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private HyperTuneReporter CreateReporter(string trial = "0", string? path = null) =>
        new(path ?? _temp.Combine("hypertune", "output.metrics"), trial, () => Timestamp);

    private static string ReadBytesAsAscii(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.All(bytes, b => Assert.True(b < 0x80, $"non-ASCII byte 0x{b:x2} in the metrics file"));
        return Encoding.ASCII.GetString(bytes);
    }

    [Fact]
    public void Report_writes_the_documented_line_byte_for_byte()
    {
        var reporter = CreateReporter();

        reporter.Report("accuracy", 0.93, step: 100);

        // Python: json.dumps({'timestamp': 1525851440.123456, 'trial': '0', 'accuracy': str(0.93),
        //                     'global_step': '100', 'checkpoint_path': ''}, sort_keys=True) + '\n'
        Assert.Equal(
            "{\"accuracy\": \"0.93\", \"checkpoint_path\": \"\", \"global_step\": \"100\", \"timestamp\": 1525851440.123456, \"trial\": \"0\"}\n",
            ReadBytesAsAscii(reporter.MetricPath));
    }

    [Fact]
    public void Each_report_rewrites_the_whole_file_with_every_record()
    {
        var reporter = CreateReporter(trial: "7");

        reporter.Report("", 1, step: null);
        reporter.Report("loss", double.NaN, step: 5, checkpointPath: "gs://b/ckpt/5");
        reporter.Report("Zeta", 2, step: 3);

        Assert.Equal(
            "{\"checkpoint_path\": \"\", \"global_step\": \"0\", \"timestamp\": 1525851440.123456, \"training/hptuning/metric\": \"1.0\", \"trial\": \"7\"}\n" +
            "{\"checkpoint_path\": \"gs://b/ckpt/5\", \"global_step\": \"5\", \"loss\": \"nan\", \"timestamp\": 1525851440.123456, \"trial\": \"7\"}\n" +
            "{\"Zeta\": \"2.0\", \"checkpoint_path\": \"\", \"global_step\": \"3\", \"timestamp\": 1525851440.123456, \"trial\": \"7\"}\n",
            ReadBytesAsAscii(reporter.MetricPath));
    }

    [Fact]
    public void Non_ascii_and_control_characters_are_escaped_like_python()
    {
        var reporter = CreateReporter();

        reporter.Report("précision", 1e-05, step: 0, checkpointPath: "/gcs/b/é\"\\\n\t\u0001\u007f😀");

        Assert.Equal(
            "{\"checkpoint_path\": \"/gcs/b/\\u00e9\\\"\\\\\\n\\t\\u0001\\u007f\\ud83d\\ude00\", \"global_step\": \"0\", \"pr\\u00e9cision\": \"1e-05\", \"timestamp\": 1525851440.123456, \"trial\": \"0\"}\n",
            ReadBytesAsAscii(reporter.MetricPath));
    }

    [Fact]
    public void Integral_timestamps_and_negative_steps_are_written_as_python_does()
    {
        var reporter = new HyperTuneReporter(_temp.Combine("m.metrics"), "0", () => 1525851440.0);

        reporter.Report("acc", 0.5, step: -3);

        Assert.Equal(
            "{\"acc\": \"0.5\", \"checkpoint_path\": \"\", \"global_step\": \"-3\", \"timestamp\": 1525851440.0, \"trial\": \"0\"}\n",
            ReadBytesAsAscii(reporter.MetricPath));
    }

    [Theory]
    // A tag equal to a fixed key behaves as in the Python dict literal: later keys overwrite earlier ones.
    [InlineData("timestamp", "{\"checkpoint_path\": \"\", \"global_step\": \"1\", \"timestamp\": \"0.5\", \"trial\": \"0\"}")]
    [InlineData("global_step", "{\"checkpoint_path\": \"\", \"global_step\": \"1\", \"timestamp\": 1525851440.123456, \"trial\": \"0\"}")]
    public void A_tag_that_collides_with_a_fixed_key_resolves_like_the_python_dict(string tag, string expected)
    {
        Assert.Equal(expected, HyperTuneReporter.FormatRecord(tag, 0.5, 1, null, Timestamp, "0"));
    }

    [Fact]
    public void Only_the_last_100_records_are_kept()
    {
        var reporter = CreateReporter();

        for (var step = 1; step <= 101; step++)
        {
            reporter.Report("accuracy", step / 1000.0, step);
        }

        var lines = File.ReadAllLines(reporter.MetricPath);
        Assert.Equal(100, lines.Length);
        Assert.Equal(
            "{\"accuracy\": \"0.002\", \"checkpoint_path\": \"\", \"global_step\": \"2\", \"timestamp\": 1525851440.123456, \"trial\": \"0\"}",
            lines[0]);
        Assert.Equal(
            "{\"accuracy\": \"0.101\", \"checkpoint_path\": \"\", \"global_step\": \"101\", \"timestamp\": 1525851440.123456, \"trial\": \"0\"}",
            lines[^1]);
        Assert.Equal(lines, reporter.Records);
    }

    [Fact]
    public void The_directory_is_created_and_no_temporary_files_are_left()
    {
        var path = _temp.Combine("a", "b", "c", "out.metrics");
        var reporter = CreateReporter(path: path);

        reporter.Report("accuracy", 0.5);
        reporter.Report("accuracy", 0.6);

        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void Concurrent_reports_lose_no_record_while_under_the_cap()
    {
        var reporter = CreateReporter();

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
        {
            for (var i = 0; i < 12; i++)
            {
                reporter.Report($"t{thread}", i, step: i + 1);
            }
        });

        var lines = File.ReadAllLines(reporter.MetricPath);
        Assert.Equal(96, lines.Length);
        for (var thread = 0; thread < 8; thread++)
        {
            var steps = lines.Select(Parse).Where(r => r.ContainsKey($"t{thread}")).Select(r => r["global_step"].GetString()).ToList();
            Assert.Equal(Enumerable.Range(1, 12).Select(s => s.ToString()), steps);
        }
    }

    [Fact]
    public async Task Concurrent_reports_never_leave_a_torn_file()
    {
        var reporter = CreateReporter();
        using var done = new CancellationTokenSource();
        using var readerStarted = new ManualResetEventSlim();
        var reads = 0;

        // A reader polls the file while eight writers report, as the Vertex agent would. It reads once more
        // after the writers finish, so it always sees the file at least once.
        var reader = Task.Run(() =>
        {
            readerStarted.Set();
            while (true)
            {
                var last = done.IsCancellationRequested;
                string text;
                try
                {
                    text = File.ReadAllText(reporter.MetricPath);
                }
                catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
                {
                    continue;
                }

                Assert.EndsWith("\n", text);
                foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    Parse(line);
                }

                reads++;
                if (last)
                {
                    break;
                }
            }
        });

        readerStarted.Wait();
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
        {
            for (var i = 0; i < 50; i++)
            {
                reporter.Report("accuracy", thread + i / 100.0, step: thread * 1000 + i);
            }
        });
        done.Cancel();
        await reader;

        var lines = File.ReadAllLines(reporter.MetricPath);
        Assert.Equal(100, lines.Length);
        Assert.All(lines, line => Assert.Equal(5, Parse(line).Count));
        Assert.Equal(100, lines.Distinct().Count());
        Assert.Equal(lines, reporter.Records);
        Assert.True(reads > 1, "the reader never saw the file while it was being written");
    }

    [Fact]
    public void FromVariables_uses_the_hypertune_defaults()
    {
        var reporter = HyperTuneReporter.FromVariables(_ => null);

        Assert.Equal("/tmp/hypertune/output.metrics", reporter.MetricPath);
        Assert.Equal("0", reporter.TrialId);
    }

    [Fact]
    public void FromVariables_reads_the_metric_file_and_trial_id()
    {
        var variables = new Dictionary<string, string>
        {
            ["CLOUD_ML_HP_METRIC_FILE"] = _temp.Combine("x.metrics"),
            ["CLOUD_ML_TRIAL_ID"] = "12",
        };

        var reporter = HyperTuneReporter.FromVariables(variables.GetValueOrDefault);

        Assert.Equal(_temp.Combine("x.metrics"), reporter.MetricPath);
        Assert.Equal("12", reporter.TrialId);
    }

    [Fact]
    public void The_default_clock_writes_the_current_unix_time()
    {
        var reporter = new HyperTuneReporter(_temp.Combine("now.metrics"));
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

        reporter.Report("accuracy", 1);

        var timestamp = Parse(reporter.Records[0])["timestamp"].GetDouble();
        Assert.InRange(timestamp, before - 1, before + 60);
    }

    private static Dictionary<string, JsonElement> Parse(string line) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(line)
        ?? throw new InvalidOperationException("null record");
}
