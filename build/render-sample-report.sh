#!/usr/bin/env bash
# Renders docs/report-sample.png by running the test that makes it: SampleReportTests (Build.Tests) runs the
# sample's tuning job as a user does (samples/MoonsClassifier, process mode), writes its report with the CLI the
# package bundles, checks it in headless Chromium (no script errors, a row per trial, a point per scored trial)
# and keeps the screenshot in artifacts/test-results/report-sample.png, copied here to docs/. Needs chromium
# (build/setup-test-env.sh installs it): without it the test fails here rather than skipping.
set -euo pipefail
cd "$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
env_sh="${VERTEX_TEST_ROOT:-/tmp/vertex-test-env}/env.sh"
if [[ -f $env_sh ]]; then
  source "$env_sh"
fi

SLN=BuildTasks.sln
[[ -f $SLN ]] || SLN=BuildTasks.slnx
# The Build tests run the packed package: build and pack as build/test.sh does.
dotnet build "$SLN" -c Release -v:q -nologo
dotnet pack "$SLN" -c Release --no-build -o artifacts/packages -v:q -nologo

shot=artifacts/test-results/report-sample.png
rm -f "$shot"
VERTEX_TEST_REQUIRE_ENV=1 dotnet test tests/VertexTraining.Build.Tests -c Release --no-build \
  --filter "FullyQualifiedName~SampleReportTests"
[[ -f $shot ]] || { echo "render-sample-report: the test wrote no $shot" >&2; exit 1; }
cp "$shot" docs/report-sample.png
echo "render-sample-report: docs/report-sample.png from SampleReportTests ($shot)"
