#!/usr/bin/env bash
# The README's test command: sets up the local registries/podman (idempotent, fast when
# already up), builds, packs into the local feed the end-to-end tests restore from, and tests.
# Extra arguments go to `dotnet test` (e.g. --filter ...).
set -euo pipefail
cd "$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# In CI a missing environment is a failure, not a reason to skip tests.
[[ ${CI:-} == true ]] && export VERTEX_TEST_REQUIRE_ENV=1

bash build/setup-test-env.sh
# shellcheck source=/dev/null
source "${VERTEX_TEST_ROOT:-/tmp/vertex-test-env}/env.sh"

# SDK 10's `dotnet new sln` writes .slnx; accept either.
SLN=BuildTasks.sln; [[ -f $SLN ]] || SLN=BuildTasks.slnx
dotnet build "$SLN" -c Release
dotnet pack "$SLN" -c Release --no-build -o artifacts/packages

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test "$SLN" -c Release --no-build --logger "console;verbosity=normal" "$@" | tee "$log" || status=$?

# dotnet test prints one summary line per test project amid everything else; gather them by tier
# (README.md, "Test tiers").
echo
echo "Tests per tier:"
grep -E '^(Passed|Failed)!' "$log" | sed -E 's/^(Passed|Failed)! +- Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+), Total: +([0-9]+), Duration: (.*) - (VertexTraining\.[A-Za-z]+\.Tests)\.dll.*/\7 \1 \3 \2 \4 \5 \6/' \
  | while read -r project outcome passed failed skipped total duration; do
      case $project in
        *.Targets.Tests) tier="targets (in process)" ;;
        *.Build.Tests|*.Layers.Tests|*.Local.Tests) tier="end to end" ;;
        *) tier="unit" ;;
      esac
      printf '  %-22s %-32s %s: %4s passed, %s failed, %s skipped, %4s total, %s\n' "$tier" "$project" "$outcome" "$passed" "$failed" "$skipped" "$total" "$duration"
    done | sort || true
exit "$status"
