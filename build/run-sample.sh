#!/usr/bin/env bash
# The README's main command: packs this repository into artifacts/packages, then runs the
# sample trainer's hyperparameter tuning job on this machine, as Vertex would run it. Needs only
# the .NET SDK. The trials run as processes; pass -p:VertexLocalMode=container to use podman or
# docker instead (that pulls the nvidia/cuda base image). Extra arguments go to dotnet publish.
set -euo pipefail
cd "$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

bash build/pack-for-samples.sh

dotnet publish samples/MoonsClassifier/MoonsClassifier.csproj -c Release -t:SubmitTraining \
  -p:VertexLocalMode=process "$@"
