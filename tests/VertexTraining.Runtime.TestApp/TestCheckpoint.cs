using System.Security.Cryptography;

namespace VertexTraining.Runtime.TestApp;

/// <summary>
/// What the tests save, in the child process and in the test process alike: two files that must agree. state.txt names
/// the step, the writer and the SHA-256 of model/weights.bin, so a checkpoint mixing files of two saves is caught.
/// </summary>
public static class TestCheckpoint
{
    public static void Write(string directory, long step, string writer, int size)
    {
        var weights = new byte[size];
        new Random(HashCode.Combine(step, writer)).NextBytes(weights);
        Directory.CreateDirectory(Path.Combine(directory, "model"));
        File.WriteAllBytes(Path.Combine(directory, "model", "weights.bin"), weights);
        File.WriteAllText(Path.Combine(directory, "state.txt"), $"step={step} writer={writer} weights={Convert.ToHexString(SHA256.HashData(weights)).ToLowerInvariant()}\n");
    }
}
