using System.Security.Cryptography;
using System.Text;
using Microsoft.Build.Framework;

namespace VertexTraining.Build.Tasks.Layers;

/// <summary>A registry client borrowed for one task: disposed by the task only when nobody shares it.</summary>
internal sealed class RegistryLease(RegistryClient client, bool owned) : IDisposable
{
    public RegistryClient Client { get; } = client;

    public void Dispose()
    {
        if (owned)
        {
            Client.Dispose();
        }
    }
}

/// <summary>
/// One registry client per registry and credential for the whole build. A layered publish asks the
/// registry up to six questions (the base's digest, a tag per layer, moving the user's tags); with a
/// client each, every question paid its own TLS handshake and, on registries that hand out bearer
/// tokens (Artifact Registry, Docker Hub), its own 401 and token request. Shared, the connection and
/// the token are reused; a token that expires mid-build is renewed on its 401 as before. Credentials
/// are looked up once per registry, role and environment: a credential helper (docker-credential-*)
/// is a process start each time. MSBuild disposes what is registered when the build ends.
/// </summary>
internal static class RegistrySessions
{
    private const RegisteredTaskObjectLifetime Lifetime = RegisteredTaskObjectLifetime.Build;

    /// <param name="engine">The task's engine; one without <see cref="IBuildEngine4"/> gets a client of its own.</param>
    /// <param name="registry">Registry as written in image names.</param>
    /// <param name="push">True for the registry being pushed to.</param>
    /// <param name="isOutputRegistry">True when a base is read from the registry being pushed to (push credentials, as the SDK does).</param>
    public static RegistryLease Open(IBuildEngine engine, string registry, bool push, bool isOutputRegistry = false)
    {
        var shared = engine as IBuildEngine4;
        var credential = Credential(shared, registry, push, isOutputRegistry);
        var clientKey = $"VertexTraining.RegistryClient|{registry}|{Fingerprint(credential)}";
        if (shared?.GetRegisteredTaskObject(clientKey, Lifetime) is RegistryClient known)
        {
            return new RegistryLease(known, owned: false);
        }

        var client = new RegistryClient(registry, credential);
        if (shared is null)
        {
            return new RegistryLease(client, owned: true);
        }

        shared.RegisterTaskObject(clientKey, client, Lifetime, allowEarlyCollection: false);
        return new RegistryLease(client, owned: false);
    }

    private static RegistryCredential? Credential(IBuildEngine4? shared, string registry, bool push, bool isOutputRegistry)
    {
        var pushRole = push || isOutputRegistry;
        // The environment is part of the key: SetVertexRegistryCredentials sets the token variables
        // inside the image build, after a lookup in the outer build may already have run.
        var key = $"VertexTraining.RegistryCredential|{registry}|{(pushRole ? "push" : "pull")}|{RegistryCredentials.EnvironmentFingerprint(pushRole)}";
        if (shared?.GetRegisteredTaskObject(key, Lifetime) is FoundCredential found)
        {
            return found.Credential;
        }

        var credential = RegistryCredentials.Find(registry, push, isOutputRegistry);
        shared?.RegisterTaskObject(key, new FoundCredential(credential), Lifetime, allowEarlyCollection: false);
        return credential;
    }

    // Keys live only in this process's memory, but a secret is still never part of one.
    private static string Fingerprint(RegistryCredential? credential) => credential is null
        ? "anonymous"
        : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(credential.UserName + "\0" + credential.Secret)));

    // A lookup that found nothing is remembered too.
    private sealed record FoundCredential(RegistryCredential? Credential);
}
