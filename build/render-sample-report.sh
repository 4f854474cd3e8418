#!/usr/bin/env bash
# Renders docs/report-sample.png: runs the sample's tuning job locally (build/run-sample.sh), writes
# its report with `dotnet vertex report`, and screenshots it in headless Chromium with the flags the
# report test uses (no network, WebGL on the CPU). Needs chromium (build/setup-test-env.sh installs it).
set -euo pipefail
cd "$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

bash build/run-sample.sh "$@" 2>&1 | tee "$work/run.log"
job=$(grep -o 'job local/[0-9a-f-]*' "$work/run.log" | tail -n 1 | cut -d' ' -f2)
[[ -n $job ]] || { echo "render-sample-report: no job id in the sample's output" >&2; exit 1; }

dotnet build src/VertexTraining.Cli -c Release -v:q -nologo
dotnet src/VertexTraining.Cli/bin/Release/net8.0/dotnet-vertex.dll report "$job" --output "$work/report.html"
chromium --headless --no-sandbox --disable-gpu --use-angle=swiftshader --enable-unsafe-swiftshader \
  "--host-resolver-rules=MAP * ~NOTFOUND" --user-data-dir="$work/profile" --virtual-time-budget=30000 \
  --hide-scrollbars --window-size=1280,4150 --screenshot="$PWD/docs/report-sample.png" "file://$work/report.html"
echo "render-sample-report: docs/report-sample.png from the report of $job"
