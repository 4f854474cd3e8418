#!/usr/bin/env bash
# Packs VertexTraining.Build and VertexTraining.Runtime into artifacts/packages, where the samples restore
# them from (samples/nuget.config), and drops older copies of the same version from the samples' own
# package folder so the ones just packed are used. Run by build/run-sample.sh and build/gpu-check.sh.
set -euo pipefail
cd "$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")"
dotnet pack src/VertexTraining.Build -c Release -o artifacts/packages -v:q -nologo
dotnet pack src/VertexTraining.Runtime -c Release -o artifacts/packages -v:q -nologo
rm -rf artifacts/sample-packages/vertextraining.*
