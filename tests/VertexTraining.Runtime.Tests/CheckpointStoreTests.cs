using System.Security.Cryptography;
using VertexTraining.Runtime.TestApp;

namespace VertexTraining.Runtime.Tests;

public sealed class CheckpointStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Root => _temp.Combine("checkpoints");

    public void Dispose() => _temp.Dispose();

    private static void Write(string directory, long step, string writer = "test", int size = 4096) =>
        TestCheckpoint.Write(directory, step, writer, size);

    private static long[] CompleteSteps(string root) => CheckpointLayout.Read(root).Where(e => e.Complete).Select(e => e.Step).ToArray();

    [Fact]
    public void An_empty_store_has_no_latest_checkpoint()
    {
        var missing = new CheckpointStore(Root);
        Assert.Null(missing.TryLoadLatest());
        missing.Prune();
        Assert.False(Directory.Exists(Root));

        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Path.Combine(Root, "unrelated"));
        Assert.Null(new CheckpointStore(Root).TryLoadLatest());
    }

    [Fact]
    public void A_saved_checkpoint_is_complete_on_disk_and_loads_back()
    {
        var store = new CheckpointStore(Root);

        var saved = store.Save(3, directory => Write(directory, 3));
        var latest = store.TryLoadLatest();

        Assert.NotNull(saved);
        Assert.Equal(saved, latest);
        Assert.Equal(3, latest!.Step);
        Assert.Equal(Root, Path.GetDirectoryName(latest.Directory));
        Assert.True(File.Exists(Path.Combine(latest.Directory, "model", "weights.bin")));
        var entry = Assert.Single(CheckpointLayout.Read(Root));
        Assert.True(entry.Complete);
        Assert.Equal("test", entry.Writer);
        Assert.Empty(CheckpointLayout.Torn(Root));
    }

    [Fact]
    public void The_latest_is_chosen_by_step_number_not_by_time()
    {
        var store = new CheckpointStore(Root, new CheckpointStoreOptions { KeepLast = 10 });
        foreach (var step in new long[] { 5, 2, 90, 7, 10 })
        {
            store.Save(step, directory => Write(directory, step));
        }

        Assert.Equal(90, store.TryLoadLatest()!.Step);
        Assert.Equal([2, 5, 7, 10, 90], CompleteSteps(Root));
    }

    [Fact]
    public void Pruning_keeps_the_newest_steps_even_when_saved_out_of_order()
    {
        var store = new CheckpointStore(Root);
        foreach (var step in new long[] { 5, 2, 9, 7 })
        {
            store.Save(step, directory => Write(directory, step));
        }

        // After 5, 2, 9 the kept ones are 9 and 5; 7 then displaces 5, not the more recently written 9.
        Assert.Equal([7, 9], CompleteSteps(Root));
        Assert.Equal(9, store.TryLoadLatest()!.Step);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Pruning_keeps_the_configured_number(int keep)
    {
        var store = new CheckpointStore(Root, new CheckpointStoreOptions { KeepLast = keep });
        for (var step = 1; step <= 6; step++)
        {
            store.Save(step, directory => Write(directory, step));
        }

        Assert.Equal(Enumerable.Range(7 - keep, keep).Select(s => (long)s), CompleteSteps(Root));
        Assert.Equal(keep, Directory.GetDirectories(Root).Length);
    }

    [Fact]
    public void Keeping_fewer_than_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CheckpointStore(Root, new CheckpointStoreOptions { KeepLast = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CheckpointStore(Root).Save(-1, _ => { }));
    }

    [Fact]
    public void A_checkpoint_whose_files_no_longer_match_its_manifest_is_skipped()
    {
        var store = new CheckpointStore(Root, new CheckpointStoreOptions { KeepLast = 5 });
        store.Save(1, directory => Write(directory, 1));
        var second = store.Save(2, directory => Write(directory, 2))!;
        var third = store.Save(3, directory => Write(directory, 3))!;

        // Same size, other bytes: only the hash can tell.
        var weights = Path.Combine(third.Directory, "model", "weights.bin");
        var bytes = File.ReadAllBytes(weights);
        bytes[100] ^= 0xFF;
        File.WriteAllBytes(weights, bytes);
        Assert.Equal(2, store.TryLoadLatest()!.Step);

        // A marker that does not hold the manifest's hash (a torn marker write) does not count either.
        File.WriteAllText(Path.Combine(second.Directory, CheckpointStore.CompleteMarkerFileName), "0123");
        Assert.Equal(1, store.TryLoadLatest()!.Step);
    }

    [Fact]
    public void A_write_that_throws_leaves_nothing_behind()
    {
        var store = new CheckpointStore(Root);
        store.Save(1, directory => Write(directory, 1));

        var e = Assert.Throws<InvalidDataException>(() => store.Save(2, directory =>
        {
            Write(directory, 2);
            throw new InvalidDataException("the app failed");
        }));

        Assert.Equal("the app failed", e.Message);
        Assert.Equal(1, store.TryLoadLatest()!.Step);
        Assert.Empty(CheckpointLayout.Torn(Root));
    }

    [Fact]
    public void Leftovers_of_crashed_saves_are_removed_only_when_old_and_superseded()
    {
        Directory.CreateDirectory(Root);
        var oldTorn = TornSave(Root, "step-000000000001-aaaaaaaa");
        var oldStaging = TornSave(Root, ".saving-step-000000000002-bbbbbbbb");
        var aheadOfNewest = TornSave(Root, "step-000000000050-cccccccc");
        var store = new CheckpointStore(Root, new CheckpointStoreOptions { AbandonedSaveAge = TimeSpan.FromMinutes(5) });

        // Fresh leftovers may be saves still in progress in another process: kept.
        store.Save(3, directory => Write(directory, 3));
        Assert.True(Directory.Exists(oldTorn) && Directory.Exists(oldStaging));

        foreach (var folder in new[] { oldTorn, oldStaging, aheadOfNewest })
        {
            Age(folder, TimeSpan.FromMinutes(10));
        }

        store.Prune();
        Assert.False(Directory.Exists(oldTorn));
        Assert.False(Directory.Exists(oldStaging));
        // No complete checkpoint of its step exists yet: it is kept until one does.
        Assert.True(Directory.Exists(aheadOfNewest));
        Assert.Equal(3, store.TryLoadLatest()!.Step);
    }

    [Fact]
    public void Only_the_primary_saves_by_default_and_every_replica_loads()
    {
        var cluster = """{"cluster":{"workerpool0":["a:2222"],"workerpool1":["b:2222"]},"environment":"cloud","task":{"type":"POOL","index":0}}""";
        var primary = TrainingEnvironment.FromVariables(new Dictionary<string, string>
        {
            ["CLUSTER_SPEC"] = cluster.Replace("POOL", "workerpool0"),
            ["AIP_CHECKPOINT_DIR"] = Root + "/",
        });
        var worker = TrainingEnvironment.FromVariables(new Dictionary<string, string>
        {
            ["CLUSTER_SPEC"] = cluster.Replace("POOL", "workerpool1"),
            ["AIP_CHECKPOINT_DIR"] = Root + "/",
        });

        var called = false;
        Assert.Null(worker.Checkpoints.Save(1, _ => called = true));
        Assert.False(called);
        Assert.False(Directory.Exists(Root));

        primary.Checkpoints.Save(1, directory => Write(directory, 1));
        Assert.Equal(1, worker.Checkpoints.TryLoadLatest()!.Step);
        Assert.True(primary.Checkpoints.Options.SavesOnThisReplica);
        Assert.False(worker.Checkpoints.Options.SavesOnThisReplica);
    }

    [Fact]
    public void The_store_lies_under_AIP_CHECKPOINT_DIR_its_gcs_path_or_a_documented_local_folder()
    {
        Assert.Equal("/gcs/bucket/job/3/checkpoints",
            TrainingEnvironment.FromVariables(new Dictionary<string, string> { ["AIP_CHECKPOINT_DIR"] = "gs://bucket/job/3/checkpoints/" }).Checkpoints.Directory);
        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "checkpoints"),
            TrainingEnvironment.FromVariables(new Dictionary<string, string>()).Checkpoints.Directory);
        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "checkpoints", "trial-7"),
            TrainingEnvironment.FromVariables(new Dictionary<string, string> { ["CLOUD_ML_TRIAL_ID"] = "7" }).Checkpoints.Directory);
        Assert.Equal(5, TrainingEnvironment.FromVariables(new Dictionary<string, string>())
            .OpenCheckpoints(new CheckpointStoreOptions { KeepLast = 5 }).Options.KeepLast);
    }

    [Fact]
    public void A_folder_that_cannot_be_written_gives_an_error_naming_it_and_AIP_CHECKPOINT_DIR()
    {
        // A regular file where a folder should be: refused for every user, root included.
        var file = _temp.Combine("not-a-folder");
        File.WriteAllText(file, "");
        var directory = Path.Combine(file, "checkpoints");
        var env = TrainingEnvironment.FromVariables(new Dictionary<string, string> { ["AIP_CHECKPOINT_DIR"] = directory });

        var e = Assert.Throws<CheckpointStoreException>(() => env.Checkpoints.Save(1, d => Write(d, 1)));

        Assert.Equal(directory, e.Directory);
        Assert.StartsWith($"Cannot write checkpoints to '{directory}' (AIP_CHECKPOINT_DIR={directory}): ", e.Message);
        Assert.Contains("set AIP_CHECKPOINT_DIR to a writable folder", e.Message);
        Assert.Null(env.Checkpoints.TryLoadLatest());
    }

    [Fact]
    public void A_read_only_folder_gives_the_same_error()
    {
        // root writes through permission bits: as root, the folder is one in /proc, where nobody may create anything.
        var directory = "/proc/self/checkpoints";
        if (!Environment.IsPrivilegedProcess && !OperatingSystem.IsWindows())
        {
            directory = _temp.Combine("read-only");
            Directory.CreateDirectory(directory);
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }

        var e = Assert.Throws<CheckpointStoreException>(() => new CheckpointStore(directory).Save(1, d => Write(d, 1)));

        Assert.StartsWith($"Cannot write checkpoints to '{directory}' (given to the CheckpointStore constructor): ", e.Message);
    }

    [Fact]
    public async Task Threads_saving_at_once_never_corrupt_each_other()
    {
        var store = new CheckpointStore(Root);
        using var done = new CancellationTokenSource();
        var reads = 0;
        var reader = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                if (store.TryLoadLatest() is { } latest && ReadConsistently(latest))
                {
                    Interlocked.Increment(ref reads);
                }
            }
        });

        Parallel.For(0, 6, new ParallelOptions { MaxDegreeOfParallelism = 6 }, writer =>
        {
            for (var step = 1; step <= 15; step++)
            {
                // On a loaded 2-core machine the reader can starve; one writer waits halfway for a first whole read,
                // so the read really overlaps the other writers' saves.
                if (writer == 0 && step == 8)
                {
                    SpinWait.SpinUntil(() => Volatile.Read(ref reads) > 0, TimeSpan.FromSeconds(20));
                }

                var saved = store.Save(step, directory => Write(directory, step, $"w{writer}", 64 * 1024))!;
                Assert.Equal(step, saved.Step);
            }
        });
        done.Cancel();
        await reader;

        var entries = CheckpointLayout.Read(Root);
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.True(e.Complete && e.Step == 15, $"{e.Folder} complete={e.Complete}"));
        Assert.Empty(CheckpointLayout.Torn(Root));
        Assert.Equal(15, store.TryLoadLatest()!.Step);
        Assert.True(reads > 0);
    }

    /// <summary>A checkpoint read while others save is whole, or gone (pruned) before it was read: never mixed.</summary>
    private static bool ReadConsistently(Checkpoint checkpoint)
    {
        try
        {
            var state = File.ReadAllText(Path.Combine(checkpoint.Directory, "state.txt"));
            var weights = File.ReadAllBytes(Path.Combine(checkpoint.Directory, "model", "weights.bin"));
            Assert.Contains($"step={checkpoint.Step} ", state);
            Assert.EndsWith($"weights={Convert.ToHexString(SHA256.HashData(weights)).ToLowerInvariant()}\n", state);
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    private static string TornSave(string root, string name)
    {
        var folder = Path.Combine(root, name);
        Directory.CreateDirectory(Path.Combine(folder, "model"));
        File.WriteAllBytes(Path.Combine(folder, "model", "weights.bin"), new byte[10]);
        return folder;
    }

    private static void Age(string folder, TimeSpan age)
    {
        var then = DateTime.UtcNow - age;
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, then);
        }

        foreach (var sub in Directory.EnumerateDirectories(folder, "*", SearchOption.AllDirectories).Append(folder))
        {
            Directory.SetLastWriteTimeUtc(sub, then);
        }
    }
}
