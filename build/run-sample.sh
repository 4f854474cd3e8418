#!/usr/bin/env bash
# The README's main command: packs this repository into artifacts/packages, then runs the
# sample trainer's hyperparameter tuning job on this machine, as Vertex would run it. Needs only
# the .NET SDK. The trials run as processes; pass -p:VertexLocalMode=container to use podman or
# docker instead (that pulls the nvidia/cuda base image). Extra arguments go to dotnet publish.
set -euo pipefail
cd "$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet pack src/VertexTraining.Build -c Release -o artifacts/packages -v:q -nologo
dotnet pack src/VertexTraining.Runtime -c Release -o artifacts/packages -v:q -nologo
# The samples restore into their own package folder; drop our packages there so the ones just
# packed are used even though the version number did not change.
rm -rf artifacts/sample-packages/vertextraining.*

dotnet publish samples/MoonsClassifier/MoonsClassifier.csproj -c Release -t:SubmitTraining \
  -p:VertexLocalMode=process "$@"
