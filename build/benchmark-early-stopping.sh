#!/usr/bin/env bash
# Benchmarks the local tuner's automated stopping rules (VertexEarlyStopping None, Median, DecayCurve) in-process on
# synthetic learning curves with noise: total steps run and the median best final value over many seeds.
# Not a test: its numbers go into docs/tuning.md. Arguments go to the benchmark: --seeds N (default 25),
# --trials T (30), --steps S (40), --noise SIGMA (0.01).
set -euo pipefail
cd "$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build build/EarlyStoppingBenchmark/EarlyStoppingBenchmark.csproj -c Release -nologo -v:q
exec dotnet build/EarlyStoppingBenchmark/bin/Release/net10.0/EarlyStoppingBenchmark.dll "$@"
