#!/usr/bin/env bash
# Train on Vertex AI from any CI system: build, submit, wait, and leave the job's resource name,
# console URL and final state in files and in the exit code. docs/ci.md explains each step.
#
# Needs: the .NET SDK, jq, and Google credentials in GOOGLE_APPLICATION_CREDENTIALS (an
# external_account file from your CI's OIDC token, as docs/ci.md shows, or any other ADC source).
# Usage: GCP_PROJECT=my-project bash train.sh src/MyTrainer/MyTrainer.csproj [-p:Name=Value]...
set -euo pipefail

project=${1:?usage: train.sh PROJECT.csproj [-p:Name=Value]...}
shift
: "${GCP_PROJECT:?set GCP_PROJECT to the Google Cloud project id}"
out=${VERTEX_CI_OUTPUT:-vertex-ci}
mkdir -p "$out"

command -v dotnet-vertex > /dev/null || dotnet tool install --global VertexTraining.Cli
export PATH="$PATH:$HOME/.dotnet/tools"

# Fails with exit code 3 (VTX3xxx) when no token can be had: nothing is built or pushed then.
dotnet vertex auth check

# stdout: the submission record; stderr: the build's progress. Exit 2 = bad configuration (VTX1xxx),
# 3 = authentication, 4 = build, registry or API error.
dotnet vertex submit "$project" --json "-p:VertexProject=$GCP_PROJECT" "$@" > "$out/submission.json"
job=$(jq -r .name "$out/submission.json")
echo "job: $job"
echo "console: $(jq -r .consoleUrl "$out/submission.json")"

# The job's own outcome: 0 SUCCEEDED, 1 FAILED, 5 CANCELLED (outages are retried while they last).
set +e
dotnet vertex wait "$job" --json > "$out/job.json"
code=$?
set -e
echo "state: $(jq -r '.state // "unknown"' "$out/job.json")"

if dotnet vertex report --help > /dev/null 2>&1; then
  dotnet vertex report "$job" --output "$out/report.html" || true
fi
exit "$code"
