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

# One TRX file per test project (the Visual Studio test results format) besides the console: the
# tier summary below reads each file's <Counters> and the test assembly it names.
results=artifacts/test-results
rm -rf "$results"
status=0
dotnet test "$SLN" -c Release --no-build --logger "console;verbosity=normal" \
  --logger trx --results-directory "$results" "$@" || status=$?

echo
echo "Tests per tier (README.md, \"Test tiers\"):"
compgen -G "$results/*.trx" >/dev/null || echo "  no test results in $results"
for trx in "$results"/*.trx; do
  [[ -f $trx ]] || continue
  project=$(grep -o -m1 'codeBase="[^"]*\.dll"' "$trx" | sed -E 's#.*/##; s/\.dll"$//')
  project=${project:-"(ran no test)"}
  counters=$(grep -o -m1 '<Counters [^>]*>' "$trx")
  count() { sed -E "s/.* $1=\"([0-9]+)\".*/\1/" <<<"$counters"; }
  case ${project,,} in
    *.targets.tests) tier="targets (in process)" ;;
    *.build.tests|*.layers.tests|*.local.tests) tier="end to end" ;;
    *) tier="unit" ;;
  esac
  total=$(count total) passed=$(count passed) failed=$(count failed)
  printf '  %-22s %-32s %4s passed, %s failed, %s skipped, %4s total\n' \
    "$tier" "$project" "$passed" "$failed" "$((total - passed - failed))" "$total"
done | sort
exit "$status"
