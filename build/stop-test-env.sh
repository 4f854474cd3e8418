#!/usr/bin/env bash
# Stops the registries started by setup-test-env.sh (only those: identified by pid file
# and command line). Registry data and the podman store are kept, so a later setup is quick.
set -euo pipefail
ROOT="${VERTEX_TEST_ROOT:-/tmp/vertex-test-env}"
for port in 5000 5001; do
  dir="$ROOT/registry-$port" pidf="$ROOT/registry-$port/pid"
  [[ -f $pidf ]] || continue
  pid=$(cat "$pidf")
  # The pid may have been reused by an unrelated process since setup ran.
  if grep -qs "$dir/config.yml" "/proc/$pid/cmdline"; then
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    echo "stop-test-env: stopped registry on :$port (pid $pid)"
  fi
  rm -f "$pidf"
done
