namespace VertexTraining.Runtime.Tests;

/// <summary>Checkpoints written by real processes: killed midway with SIGKILL, several at once, and stopped by SIGTERM.</summary>
public sealed class CheckpointProcessTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly TempDirectory _temp = new();

    private string Root => _temp.Combine("checkpoints");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("files-written", false)]
    [InlineData("manifest-written", false)]
    [InlineData("moved", false)]
    [InlineData("copying", true)]
    [InlineData("manifest-written", true)]
    [InlineData("moved", true)]
    public async Task A_save_killed_midway_leaves_the_previous_checkpoint_as_the_latest(string stage, bool copyingRename)
    {
        var first = await ChildApp.RunAsync("save", Root, "first", "1", "1", "300000");
        Assert.True(first.ExitCode == 0, first.Output);

        using (var frozen = ChildApp.Start(["freeze", Root, "2", "300000", stage, .. (copyingRename ? new[] { "copy-rename" } : [])]))
        {
            await frozen.WaitForLineAsync("FROZEN", Timeout);
            frozen.KillHard();
            await frozen.WaitForExitAsync(Timeout);
        }

        // The killed save left its folder (staging, or a step-2 folder whose marker never came; both when a copying
        // rename was cut short): torn, not counted.
        var torn = CheckpointLayout.Torn(Root);
        Assert.Equal(stage == "copying" ? 2 : 1, torn.Count);
        Assert.All(torn, folder => Assert.Contains("step-000000000002-", folder));
        var complete = Assert.Single(CheckpointLayout.Read(Root), e => e.Complete);
        Assert.Equal((1L, "first"), (complete.Step, complete.Writer));

        var next = await ChildApp.RunAsync("latest", Root);
        Assert.Equal($"LATEST 1 {complete.Folder}", next.Output.Trim());

        // The next run saves step 2 again; the torn folder is removed once it is old enough to be surely abandoned.
        var again = await ChildApp.RunAsync("save", Root, "again", "2", "2", "1000");
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Equal(2, new CheckpointStore(Root).TryLoadLatest()!.Step);
        Assert.All(torn, folder => Assert.True(Directory.Exists(folder)));
        new CheckpointStore(Root, new CheckpointStoreOptions { AbandonedSaveAge = TimeSpan.Zero }).Prune();
        Assert.All(torn, folder => Assert.False(Directory.Exists(folder)));
        Assert.Equal([(1L, "first"), (2L, "again")], CheckpointLayout.Read(Root).Select(e => (e.Step, e.Writer!)));
    }

    [Fact]
    public async Task Processes_saving_at_once_never_corrupt_each_other()
    {
        var writers = Enumerable.Range(1, 4).Select(w => ChildApp.Start("save", Root, $"p{w}", "1", "12", "200000")).ToList();
        try
        {
            foreach (var writer in writers)
            {
                Assert.True(await writer.WaitForExitAsync(Timeout) == 0, writer.Output);
            }
        }
        finally
        {
            writers.ForEach(w => w.Dispose());
        }

        var entries = CheckpointLayout.Read(Root);
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.True(e.Complete && e.Step == 12, $"{e.Folder} complete={e.Complete}"));
        Assert.Empty(CheckpointLayout.Torn(Root));
        Assert.Equal(12, new CheckpointStore(Root).TryLoadLatest()!.Step);
    }

    [Theory]
    [InlineData(ChildApp.SIGTERM)]
    [InlineData(ChildApp.SIGINT)]
    public async Task A_stop_signal_lets_the_app_save_within_the_grace_period_and_exit_with_the_stopped_code(int signal)
    {
        using var child = ChildApp.Start(new Dictionary<string, string?>
        {
            ["AIP_CHECKPOINT_DIR"] = Root + "/",
            ["VERTEX_LOCAL_GRACE_PERIOD"] = "20s",
        }, "until-stopped", "100000");
        Assert.Equal("READY 20", await child.WaitForLineAsync("READY", Timeout));
        await Task.Delay(300);

        child.Signal(signal);

        Assert.Equal(143, await child.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        var saved = (await child.WaitForLineAsync("SAVED", Timeout)).Split(' ');
        var remainingMs = double.Parse(saved[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(remainingMs, 1, 20_000);
        var complete = Assert.Single(CheckpointLayout.Read(Root));
        Assert.True(complete.Complete);
        Assert.Equal((long.Parse(saved[1]), "stopped"), (complete.Step, complete.Writer));
    }
}
