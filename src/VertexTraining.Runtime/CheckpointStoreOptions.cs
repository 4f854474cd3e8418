namespace VertexTraining.Runtime;

/// <summary>How a <see cref="CheckpointStore"/> saves, prunes and checks checkpoints.</summary>
public sealed record CheckpointStoreOptions
{
    /// <summary>How many complete checkpoints to keep (the newest by step); at least 1. Default 2.</summary>
    public int KeepLast { get; init; } = 2;

    /// <summary>
    /// Whether <see cref="CheckpointStore.Save(long, Action{string})"/> writes on this replica. True by default;
    /// <see cref="TrainingEnvironment.Checkpoints"/> sets it to <see cref="TrainingEnvironment.IsPrimary"/>, so only
    /// the primary replica saves (Vertex AI's convention: the chief writes checkpoints) and the others only load.
    /// </summary>
    public bool SavesOnThisReplica { get; init; } = true;

    /// <summary>
    /// How long a save that never completed (a crashed or killed one) must have been left untouched before the
    /// store removes its folder. Generous by default (1 hour) so that no save still in progress in another
    /// process is ever taken for a leftover.
    /// </summary>
    public TimeSpan AbandonedSaveAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Whether <see cref="CheckpointStore.TryLoadLatest"/> checks every file's XXH128 hash against the manifest
    /// (default true). Without it, presence and sizes are still checked.
    /// </summary>
    public bool VerifyContents { get; init; } = true;

    /// <summary>Test hooks: called at each stage of a save, and the directory move (to simulate Cloud Storage FUSE's copying rename).</summary>
    internal CheckpointSaveHooks? Hooks { get; init; }
}

/// <summary>Ways for tests to freeze a save midway or replace the rename, as Cloud Storage FUSE does it.</summary>
internal sealed class CheckpointSaveHooks
{
    /// <summary>Called with <see cref="CheckpointStore.Stages"/> names and the folder the save is working on.</summary>
    public Action<string, string>? AtStage { get; init; }

    /// <summary>Replaces <see cref="Directory.Move(string, string)"/>.</summary>
    public Action<string, string>? MoveDirectory { get; init; }
}
