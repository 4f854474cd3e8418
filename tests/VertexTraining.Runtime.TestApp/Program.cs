// The runtime tests' child process. Commands:
//   save DIR WRITER FIRST LAST SIZE            saves steps FIRST..LAST, each a checkpoint of SIZE bytes written by WRITER
//   freeze DIR STEP SIZE STAGE [copy-rename]   saves STEP, but stops at STAGE (a CheckpointStore stage, or "copying":
//                                              halfway through a rename done as copy-then-delete, as Cloud Storage FUSE
//                                              does it), prints "FROZEN" and waits to be killed
//   latest DIR                                 prints "LATEST STEP FOLDER" or "NONE"
//   until-stopped SIZE                         prints "READY", waits for env.StopRequested, saves to env.Checkpoints and
//                                              prints "SAVED STEP REMAINING_MS", exits 143
//   curves COUNT                               for step 1..COUNT: TensorBoardLog.Scalar("loss", 1/step, step) and
//                                              HyperTune.Report("accuracy", step/COUNT, step), prints "WROTE STEP" after
//                                              each; then prints "DONE" and waits to be killed
using System.Globalization;
using VertexTraining.Runtime;
using VertexTraining.Runtime.TestApp;

var command = args[0];
switch (command)
{
    case "save":
    {
        var store = new CheckpointStore(args[1]);
        var writer = args[2];
        var size = int.Parse(args[5], CultureInfo.InvariantCulture);
        for (var step = long.Parse(args[3], CultureInfo.InvariantCulture); step <= long.Parse(args[4], CultureInfo.InvariantCulture); step++)
        {
            var saved = step;
            store.Save(step, directory => TestCheckpoint.Write(directory, saved, writer, size));
        }

        return 0;
    }

    case "freeze":
    {
        var stage = args[4];
        var hooks = new CheckpointSaveHooks
        {
            AtStage = (at, _) => Freeze(at == stage),
            MoveDirectory = args.Length > 5 && args[5] == "copy-rename" ? (from, to) => CopyThenDelete(from, to, stage) : null,
        };
        var store = new CheckpointStore(args[1], new CheckpointStoreOptions { Hooks = hooks });
        var step = long.Parse(args[2], CultureInfo.InvariantCulture);
        store.Save(step, directory => TestCheckpoint.Write(directory, step, "frozen", int.Parse(args[3], CultureInfo.InvariantCulture)));
        Console.WriteLine("NOT FROZEN");
        return 1;
    }

    case "latest":
    {
        var latest = new CheckpointStore(args[1]).TryLoadLatest();
        Console.WriteLine(latest is null ? "NONE" : $"LATEST {latest.Step} {latest.Directory}");
        return 0;
    }

    case "until-stopped":
    {
        var env = TrainingEnvironment.Current;
        var stop = env.StopRequested;
        Console.WriteLine($"READY {env.StopGracePeriod.TotalSeconds.ToString(CultureInfo.InvariantCulture)}");
        var step = 0L;
        while (!stop.IsCancellationRequested)
        {
            step++;
            Thread.Sleep(20);
        }

        var size = int.Parse(args[1], CultureInfo.InvariantCulture);
        env.Checkpoints.Save(step, directory => TestCheckpoint.Write(directory, step, "stopped", size));
        Console.WriteLine($"SAVED {step} {env.StopGracePeriodRemaining.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)}");
        return TrainingEnvironment.StoppedExitCode;
    }

    case "curves":
    {
        var count = int.Parse(args[1], CultureInfo.InvariantCulture);
        for (var step = 1; step <= count; step++)
        {
            TensorBoardLog.Scalar("loss", 1.0 / step, step);
            HyperTune.Report("accuracy", step / (double)count, step);
            Console.WriteLine($"WROTE {step}");
        }

        Console.WriteLine("DONE");
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }

    default:
        Console.Error.WriteLine($"unknown command {command}");
        return 2;
}

static void Freeze(bool now)
{
    if (now)
    {
        Console.WriteLine("FROZEN");
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
    }
}

// Cloud Storage FUSE renames a folder by copying each object and deleting the original; a kill in between
// leaves a partial copy under the new name.
static void CopyThenDelete(string from, string to, string stage)
{
    var files = Directory.GetFiles(from, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
    for (var i = 0; i < files.Count; i++)
    {
        var target = Path.Combine(to, Path.GetRelativePath(from, files[i]));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(files[i], target);
        Freeze(stage == "copying" && i == files.Count / 2);
    }

    Directory.Delete(from, recursive: true);
}
