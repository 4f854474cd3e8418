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

exec dotnet test "$SLN" -c Release --no-build --logger "console;verbosity=normal" "$@"
