// A stand-in training app for the local runner's tests. Every replica prints what Vertex AI handed it, then does
// what --probe=<scenario> asks. Output lines are stable so tests can assert on them.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using VertexTraining.Runtime;

var hp = Hyperparameters.FromArgs(args);
var env = TrainingEnvironment.Current;
var task = $"{env.TaskType}-{env.TaskIndex}";
Console.WriteLine($"probe task={task} role={env.Role} rank={env.Rank} world={env.WorldSize} trial={env.TrialId ?? "-"} local={env.IsLocal}");
Console.WriteLine($"probe args=[{string.Join(" ", args)}]");
foreach (var name in new[] { "CLOUD_ML_JOB_ID", "AIP_MODEL_DIR", "AIP_CHECKPOINT_DIR", "AIP_TENSORBOARD_LOG_DIR", "CLOUD_ML_HP_METRIC_FILE", "VERTEX_ACCELERATOR_COUNT", "PROBE_GREETING" })
{
    Console.WriteLine($"probe env {name}={Environment.GetEnvironmentVariable(name)}");
}

Console.WriteLine($"probe has TF_CONFIG={env.TfConfig is not null}");

// Proves the output folders are mapped and writable (in a container: by a non-root user through a bind mount).
if (env.ModelDirLocalPath is { } modelDir)
{
    Directory.CreateDirectory(modelDir);
    File.WriteAllText(Path.Combine(modelDir, $"{task}.txt"), $"written by {task}\n");
}

var probe = hp.Get("probe", "info");
try
{
    return probe switch
    {
        "info" => 0,
        "exchange" => await Exchange(),
        "tune" => Tune(),
        "sleep" => await Sleep(),
        "gpu" => Gpu(),
        "exit" => hp.Get("code", 0),
        "flaky" => Flaky(),
        "train" => Train(),
        "curve" => await Curve(),
        "files" => Files(),
        _ => Fail($"unknown probe '{probe}'"),
    };
}
catch (Exception e)
{
    return Fail(e.ToString());
}

static int Fail(string message)
{
    Console.Error.WriteLine($"probe error: {message}");
    return 42;
}

// Primary and workers find each other by the CLUSTER_SPEC addresses: every worker sends the primary a hello,
// the primary answers each, then connects back to every worker's own address and gets a pong.
async Task<int> Exchange()
{
    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
    var ct = timeout.Token;
    var workers = env.Pools.TryGetValue(WorkerPools.Workers, out var w) ? w : [];
    switch (env.Role)
    {
        case TaskRole.Primary:
        {
            using var listener = Listen(env.PrimaryAddress!);
            for (var i = 0; i < workers.Count; i++)
            {
                using var client = await listener.AcceptTcpClientAsync(ct);
                var (reader, writer) = Streams(client);
                var hello = await reader.ReadLineAsync(ct);
                Console.WriteLine($"primary received: {hello}");
                await writer.WriteLineAsync($"welcome {hello?.Split(' ').Last()} from {task}");
            }

            foreach (var address in workers)
            {
                using var client = await Connect(address, ct);
                var (reader, writer) = Streams(client);
                await writer.WriteLineAsync($"ping from {task}");
                Console.WriteLine($"primary got from {address}: {await reader.ReadLineAsync(ct)}");
            }

            Console.WriteLine($"primary exchanged with {workers.Count} workers");
            return 0;
        }

        case TaskRole.Worker:
        {
            using var listener = Listen(workers[env.TaskIndex]);
            using (var client = await Connect(env.PrimaryAddress!, ct))
            {
                var (reader, writer) = Streams(client);
                await writer.WriteLineAsync($"hello from {task}");
                Console.WriteLine($"worker got: {await reader.ReadLineAsync(ct)}");
            }

            using var back = await listener.AcceptTcpClientAsync(ct);
            var (r, wr) = Streams(back);
            var ping = await r.ReadLineAsync(ct);
            await wr.WriteLineAsync($"pong from {task}");
            Console.WriteLine($"worker answered: {ping}");
            return 0;
        }

        case TaskRole.Evaluator:
        {
            using var tf = JsonDocument.Parse(env.GetVariable("TF_CONFIG") ?? "{}");
            var roles = tf.RootElement.TryGetProperty("cluster", out var cluster)
                ? string.Join(",", cluster.EnumerateObject().Select(p => p.Name).Order())
                : "";
            var type = tf.RootElement.TryGetProperty("task", out var t) ? t.GetProperty("type").GetString() : null;
            Console.WriteLine($"evaluator tf_config roles=[{roles}] task={type} clusterspec pools=[{string.Join(",", env.Pools.Keys.Order())}]");
            return 0;
        }

        default:
            return Fail($"no exchange role for {env.Role}");
    }
}

// Reports a metric computed from the trial's parameters at three steps, so LAST and BEST differ:
// x, 10x, 5x. --fail_x and --silent_x pick trials that fail or report nothing.
int Tune()
{
    var x = hp.Get("x", 0.0);
    var sign = hp.Get("optimizer", "up") == "down" ? -1 : 1;
    if (hp.Contains("fail_x") && x == hp.Get("fail_x", double.NaN))
    {
        return Fail($"deliberate failure for x={x}");
    }

    if (hp.Contains("silent_x") && x == hp.Get("silent_x", double.NaN))
    {
        Console.WriteLine("reporting nothing");
        return 0;
    }

    var metric = hp.Get("metric", "score");
    foreach (var (step, factor) in new[] { (1L, 1.0), (2L, 10.0), (3L, 5.0) })
    {
        HyperTune.Report(metric, sign * factor * x, step);
    }

    Thread.Sleep(hp.Get("work_ms", 0));
    Console.WriteLine($"reported {metric} for x={x.ToString(CultureInfo.InvariantCulture)}");
    return 0;
}

// Sleeps until killed; --children=N starts N grandchildren that sleep too, so tests can check whole process trees stop.
async Task<int> Sleep()
{
    var marker = hp.Get("marker", "");
    for (var i = 0; i < hp.Get("children", 0); i++)
    {
        var child = Process.Start(new ProcessStartInfo(Environment.ProcessPath!)
        {
            ArgumentList = { "--probe=sleep", $"--marker={marker}", "--grandchild=true" },
            UseShellExecute = false,
        })!;
        Console.WriteLine($"started grandchild {child.Id}");
    }

    Console.WriteLine("sleeping");
    await Task.Delay(TimeSpan.FromSeconds(hp.Get("seconds", 600)));
    return 0;
}

// Exits with --code on its first --fail_times starts, counted in its checkpoint folder, which a restarted replica keeps.
int Flaky()
{
    var counter = Path.Combine(CheckpointFolder(), $"starts-{task}.txt");
    var starts = (File.Exists(counter) ? int.Parse(File.ReadAllText(counter), CultureInfo.InvariantCulture) : 0) + 1;
    File.WriteAllText(counter, starts.ToString(CultureInfo.InvariantCulture));
    var failing = starts <= hp.Get("fail_times", 0);
    Console.WriteLine($"flaky start {starts} {(failing ? "fails" : "succeeds")}");
    return failing ? hp.Get("code", 3) : 0;
}

// A deterministic "training": each epoch hashes the state; a checkpoint after every epoch; SIGTERM ends the run after the
// current epoch's checkpoint. The model (the final state) is the same however often the run was stopped and resumed.
int Train()
{
    var epochs = hp.Get("epochs", 10);
    var checkpoint = Path.Combine(CheckpointFolder(), "train-state.txt");
    var (epoch, state) = File.Exists(checkpoint) && File.ReadAllText(checkpoint).Split(' ') is [var e, var s]
        ? (int.Parse(e, CultureInfo.InvariantCulture), s)
        : (0, "seed");
    using var stop = new CancellationTokenSource();
    using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, signal =>
    {
        signal.Cancel = true;
        stop.Cancel();
    });
    Console.WriteLine($"train from epoch {epoch}");
    while (epoch < epochs)
    {
        Thread.Sleep(hp.Get("epoch_ms", 200));
        state = Fnv1a($"{state}/{epoch}");
        epoch++;
        var staging = checkpoint + ".tmp";
        File.WriteAllText(staging, $"{epoch.ToString(CultureInfo.InvariantCulture)} {state}");
        File.Move(staging, checkpoint, overwrite: true);
        Console.WriteLine($"train epoch {epoch} done");
        if (stop.IsCancellationRequested)
        {
            Console.WriteLine($"train stopped by SIGTERM after saving epoch {epoch}");
            return 0;
        }
    }

    var modelDir = env.ModelDirLocalPath ?? throw new InvalidOperationException("AIP_MODEL_DIR is not set");
    File.WriteAllText(Path.Combine(modelDir, "model.txt"), state);
    Console.WriteLine("train finished");
    return 0;
}

// A learning curve x * (1 - e^(-step/2)) reported every --step_ms for --steps steps. On the stop signal (the
// tuner's early stopping) it saves a checkpoint of the step it reached and exits, as a trainer should in its grace period.
async Task<int> Curve()
{
    var x = hp.Get("x", 0.0);
    var steps = hp.Get("steps", 8);
    var stop = env.StopRequested;
    for (var step = 1; step <= steps; step++)
    {
        var value = x * (1 - Math.Exp(-step / 2.0));
        // An epoch line, as trainers print them: a tuning job keeps these in its logs, off the console.
        Console.WriteLine($"epoch {step}/{steps} {hp.Get("metric", "score")}={value.ToString("R", CultureInfo.InvariantCulture)}");
        if (hp.Contains("fail_x") && x == hp.Get("fail_x", double.NaN))
        {
            return Fail($"deliberate failure for x={x.ToString(CultureInfo.InvariantCulture)} at step {step}");
        }

        HyperTune.Report(hp.Get("metric", "score"), value, step);
        try
        {
            await Task.Delay(hp.Get("step_ms", 300), stop);
        }
        catch (OperationCanceledException)
        {
            env.Checkpoints.Save(step, directory => File.WriteAllText(Path.Combine(directory, "step.txt"), step.ToString(CultureInfo.InvariantCulture)));
            Console.WriteLine($"curve stopped by the stop signal after step {step}, checkpoint saved");
            return 0;
        }
    }

    Console.WriteLine($"curve finished {steps} steps");
    return 0;
}

// FNV-1a, not SHA-256: the CUDA stand-in base has no OpenSSL for .NET's hashing to load.
static string Fnv1a(string text)
{
    var hash = 14695981039346656037UL;
    foreach (var b in Encoding.UTF8.GetBytes(text))
    {
        hash = (hash ^ b) * 1099511628211UL;
    }

    return hash.ToString("x16", CultureInfo.InvariantCulture);
}

string CheckpointFolder()
{
    var folder = env.CheckpointDirLocalPath ?? throw new InvalidOperationException("AIP_CHECKPOINT_DIR is not set");
    Directory.CreateDirectory(folder);
    return folder;
}

int Gpu()
{
    env.EnsureGpus();
    Console.WriteLine($"gpu check passed (requested {env.AcceleratorCount})");
    return 0;
}

static TcpListener Listen(string address)
{
    var listener = new TcpListener(IPEndPoint.Parse(address));
    listener.Start();
    return listener;
}

static async Task<TcpClient> Connect(string address, CancellationToken ct)
{
    var endpoint = IPEndPoint.Parse(address);
    while (true)
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(endpoint, ct);
            return client;
        }
        catch (SocketException)
        {
            // The other replica may not listen yet: replicas start in any order, as on Vertex AI.
            client.Dispose();
            await Task.Delay(100, ct);
        }
    }
}

static (StreamReader Reader, StreamWriter Writer) Streams(TcpClient client)
{
    var stream = client.GetStream();
    return (new StreamReader(stream, Encoding.UTF8), new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true });
}

// A trainer that reads its data from a share and leaves a result there (--read, --write: paths under /mnt/nfs or /mnt/lustre).
int Files()
{
    var read = hp.Get("read", "");
    if (read.Length > 0)
    {
        Console.WriteLine($"probe read {read}: {File.ReadAllText(read).Trim()}");
    }

    var write = hp.Get("write", "");
    File.WriteAllText(write, $"written by {task}\n");
    Console.WriteLine($"probe wrote {write}");
    return 0;
}
