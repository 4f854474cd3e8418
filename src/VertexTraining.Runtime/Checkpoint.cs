namespace VertexTraining.Runtime;

/// <summary>A complete checkpoint: every file its manifest lists is present with the recorded size and XXH128 hash.</summary>
/// <param name="Step">The training step it was saved at (what the app passed to <see cref="CheckpointStore.Save(long, Action{string})"/>).</param>
/// <param name="Directory">The folder holding the app's files (read them from here; do not write into it).</param>
public sealed record Checkpoint(long Step, string Directory);
