using System.Runtime.CompilerServices;

// The local runner's tests check internals (the container command line, the launch plan) directly.
[assembly: InternalsVisibleTo("VertexTraining.Local.Tests")]
