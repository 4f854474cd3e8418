#!/usr/bin/env bash
# Benchmarks the local tuner's search algorithms (Grid, Random, Default) in-process on Branin and Hartmann-6:
# median best regret (best value found minus the known minimum) after 15 and 30 trials over many seeds.
# Not a test: its numbers go into docs/local-execution.md. Runs in about a minute on 2 cores.
# Arguments go to the benchmark: --seeds N (default 30), --budgets 15,30, --parallel K, --grid-points P, --algorithms A,B.
set -euo pipefail
cd "$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build build/SearchBenchmark/SearchBenchmark.csproj -c Release -nologo -v:q
exec dotnet build/SearchBenchmark/bin/Release/net10.0/SearchBenchmark.dll "$@"
