namespace VertexTraining.Core.Native;

/// <summary>How a base answers for one need of a library.</summary>
public enum Availability
{
    /// <summary>The base has it.</summary>
    Present,

    /// <summary>The base lacks it; the library will not load.</summary>
    Missing,

    /// <summary>The base's facts do not cover it, so it was not checked.</summary>
    NotChecked,
}

/// <summary>The answer for one need: whether it is there, what the base has instead, and how to get it.</summary>
/// <param name="Availability">Present, missing or not checked.</param>
/// <param name="Has">For a missing need: what the base has instead (e.g. "Ubuntu 22.04 has up to GLIBCXX_3.4.30 (...)").</param>
/// <param name="Fix">For a missing need: the setting that provides it, e.g. "VertexUbuntuVersion=24.04".</param>
/// <param name="Property">The MSBuild property <paramref name="Fix"/> is about.</param>
public sealed record Answer(Availability Availability, string? Has = null, string? Fix = null, string? Property = null)
{
    public static readonly Answer Present = new(Availability.Present);
    public static readonly Answer NotChecked = new(Availability.NotChecked);
}

/// <summary>What a base image (or the host, for a local process run) provides to native libraries.</summary>
public interface INativeBase
{
    /// <summary>How the base is named in messages, e.g. the image reference.</summary>
    string Name { get; }

    /// <summary>Whether a DT_NEEDED soname will be found.</summary>
    Answer Soname(string soname);

    /// <summary>Whether a required symbol version (GLIBC_2.38 of libc.so.6...) will be found.</summary>
    Answer Version(VersionNeed need);

    /// <summary>
    /// The flavour to suggest when the publish output ships CUDA libraries of its own: the lightest
    /// one that still provides the CUDA sonames in <paramref name="stillNeeded"/>; null when the
    /// current base already is that one, or has no flavours.
    /// </summary>
    string? LighterFlavor(IReadOnlyCollection<string> stillNeeded);
}
