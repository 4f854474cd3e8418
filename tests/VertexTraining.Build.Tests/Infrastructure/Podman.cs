namespace VertexTraining.Build.Tests.Infrastructure;

/// <summary>Runs images with podman, as set up for this sandbox by build/setup-test-env.sh (CONTAINERS_CONF).</summary>
internal static class Podman
{
    /// <summary>Pulls <paramref name="image"/> (plain http, by digest) and runs it with <paramref name="args"/>.</summary>
    public static ProcessResult Run(string image, IEnumerable<string> args) =>
        ProcessRunner.Run("podman", ["run", "--rm", "--pull=always", "--tls-verify=false", image, .. args],
            Path.GetTempPath(), TimeSpan.FromMinutes(3));

    /// <summary>Removes a pulled image so test runs do not fill podman's store; failures are harmless.</summary>
    public static void Remove(string image) =>
        ProcessRunner.Run("podman", ["rmi", "--force", image], Path.GetTempPath(), TimeSpan.FromMinutes(1));
}
