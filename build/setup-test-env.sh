#!/usr/bin/env bash
# Prepares the local test environment: two CNCF registries on loopback (plain and
# htpasswd), podman configured for this sandbox, and an offline stand-in for the
# nvidia/cuda base images (Docker Hub is unreachable here).
# Idempotent: a second run reuses running registries and already-pushed tags.
# Nothing is exported globally; tests source "$ROOT/env.sh".
set -euo pipefail

ROOT="${VERTEX_TEST_ROOT:-/tmp/vertex-test-env}"
PASSWORD="${VERTEX_TEST_REGISTRY_PASSWORD:-test-token-secret}"
PLAIN=127.0.0.1:5000
AUTH=127.0.0.1:5001
USER_TOKEN=oauth2accesstoken
STANDIN=localhost/vertex-cuda-standin:12.4.1
TAGS=(12.4.1-cudnn-runtime-ubuntu22.04 12.4.1-runtime-ubuntu22.04 12.4.1-base-ubuntu22.04 12.4.1-cudnn-runtime-ubuntu24.04)
ACCEPT=(-H 'Accept: application/vnd.oci.image.manifest.v1+json'
        -H 'Accept: application/vnd.docker.distribution.manifest.v2+json'
        -H 'Accept: application/vnd.oci.image.index.v1+json'
        -H 'Accept: application/vnd.docker.distribution.manifest.list.v2+json')

die() { echo "setup-test-env: ERROR: $*" >&2; exit 1; }
log() { echo "setup-test-env: $*"; }
SECONDS=0

# --- packages (apt-get update is slow, so only when something is missing) ---
mkdir -p "$ROOT"/{registry-5000,registry-5001}
missing=()
# gcc and readelf (binutils): the native compatibility tests build small shared libraries and
# cross-check our ELF reader against readelf. chromium: the report test opens reports in headless Chromium.
for pair in docker-registry:docker-registry htpasswd:apache2-utils podman:podman runc:runc curl:curl gcc:gcc readelf:binutils chromium:chromium; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if ((${#missing[@]})); then
  [[ $(id -u) == 0 ]] || die "missing packages (${missing[*]}) and not root; install them first"
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update && apt-get install -y --no-install-recommends docker-registry apache2-utils podman runc curl gcc binutils libc6-dev chromium; } \
    >"$ROOT/apt.log" 2>&1 || { tail -n 20 "$ROOT/apt.log" >&2; die "apt-get failed (log: $ROOT/apt.log)"; }
fi

# --- podman: sandbox-only settings (crun can't do hybrid cgroups; rlimits can't be raised) ---
cat >"$ROOT/containers.conf" <<'EOF'
[containers]
default_ulimits = []
[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
EOF
cat >"$ROOT/registries.conf" <<EOF
[[registry]]
location = "$PLAIN"
insecure = true

[[registry]]
location = "$AUTH"
insecure = true
EOF
export CONTAINERS_CONF="$ROOT/containers.conf" CONTAINERS_REGISTRIES_CONF="$ROOT/registries.conf"

# --- registries ---
status() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@" || true; }

# Rewrite htpasswd only when the password changed; the registry reads it only at start.
htfile="$ROOT/registry-5001/htpasswd"
htpasswd_changed=0
if ! { [[ -f $htfile ]] && htpasswd -vb "$htfile" "$USER_TOKEN" "$PASSWORD" >/dev/null 2>&1; }; then
  { htpasswd -Bbn "$USER_TOKEN" "$PASSWORD"; htpasswd -Bbn vertexuser vertexpass; } | grep -v '^$' >"$htfile.tmp"
  mv "$htfile.tmp" "$htfile"
  htpasswd_changed=1
fi

start_registry() { # port extra-config-yaml
  local port=$1 dir="$ROOT/registry-$1" pidf="$ROOT/registry-$1/pid" stop=""
  if [[ $(status "http://127.0.0.1:$port/v2/") != 000 ]]; then
    if [[ -f $pidf ]] && grep -qs "$dir/config.yml" "/proc/$(cat "$pidf")/cmdline"; then
      [[ $port == 5001 && $htpasswd_changed == 1 ]] || { log "registry on :$port already running, reusing it"; return 0; }
      log "password changed: restarting registry on :$port"; stop="kill $(cat "$pidf")"
    elif [[ $port == 5000 ]] && systemctl is-active --quiet docker-registry 2>/dev/null; then
      # Debian's packaged service (started on systemd machines) holds :5000 without delete support.
      log "stopping the packaged docker-registry service that holds :5000"; stop="systemctl stop docker-registry"
    else
      log "WARNING: something not started by this script answers on :$port; reusing it"; return 0
    fi
    $stop || true
    for _ in $(seq 50); do [[ $(status "http://127.0.0.1:$port/v2/") == 000 ]] && break; sleep 0.1; done
  fi
  cat >"$dir/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  secret: vertex-test-$port
$2
EOF
  # setsid: the registry must outlive this script and the CI step's process group.
  setsid nohup docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 </dev/null &
  echo $! >"$pidf"
  for _ in $(seq 100); do
    [[ $(status "http://127.0.0.1:$port/v2/") != 000 ]] && { log "registry on :$port started (pid $(cat "$pidf"))"; return 0; }
    kill -0 "$(cat "$pidf")" 2>/dev/null || break
    sleep 0.1
  done
  tail -n 20 "$dir/registry.log" >&2 || true
  die "registry on :$port did not start (log: $dir/registry.log)"
}
start_registry 5000 ""
start_registry 5001 "auth:
  htpasswd:
    realm: vertex-test
    path: $htfile"

[[ $(status "http://$PLAIN/v2/") == 200 ]] || die "$PLAIN/v2/ does not answer 200"
[[ $(status "http://$AUTH/v2/") == 401 ]] || die "$AUTH/v2/ without credentials does not answer 401"
[[ $(status -u "$USER_TOKEN:$PASSWORD" "http://$AUTH/v2/") == 200 ]] \
  || die "$AUTH/v2/ rejects $USER_TOKEN (a registry not started by this script may hold the port: stop it, or run build/stop-test-env.sh)"

# --- stand-in CUDA base image, built from host files (offline) ---
has_tag() { # registry tag [curl auth args]
  [[ $(status -I "${ACCEPT[@]}" "${@:3}" "http://$1/v2/nvidia/cuda/manifests/$2") == 200 ]]
}
build_standin() {
  local rootfs="$ROOT/rootfs" lib=/lib/x86_64-linux-gnu
  rm -rf "$rootfs"
  mkdir -p "$rootfs"/{lib64,lib/x86_64-linux-gnu,etc,usr/local/cuda,usr/local/nvidia/lib64,root}
  install -d -m 1777 "$rootfs/tmp"
  cp -L /lib64/ld-linux-x86-64.so.2 "$rootfs/lib64/"
  # cp -L: copy the real file under its soname, so the image has no dangling symlinks.
  for so in libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libgcc_s.so.1 libstdc++.so.6 libz.so.1; do
    cp -L "$lib/$so" "$rootfs/lib/x86_64-linux-gnu/$so" || die "host library $lib/$so missing"
  done
  echo '{"cuda":{"name":"CUDA SDK","version":"12.4.1"}}' >"$rootfs/usr/local/cuda/version.json"
  # root and nobody, so images can run as a numeric non-root user.
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
  tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -cf "$ROOT/rootfs.tar" .
  podman import -q \
    --change 'ENV CUDA_VERSION=12.4.1' \
    --change 'ENV NVIDIA_VISIBLE_DEVICES=all' \
    --change 'ENV NVIDIA_DRIVER_CAPABILITIES=compute,utility' \
    --change 'ENV PATH=/usr/local/nvidia/bin:/usr/local/cuda/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LD_LIBRARY_PATH=/usr/local/nvidia/lib:/usr/local/nvidia/lib64' \
    "$ROOT/rootfs.tar" "$STANDIN" >"$ROOT/import.log" 2>&1 || { cat "$ROOT/import.log" >&2; die "podman import failed"; }
  # The SDK picks/validates base images by platform; podman import uses the host's.
  local plat; plat=$(podman image inspect --format '{{.Os}}/{{.Architecture}}' "$STANDIN")
  [[ $plat == linux/amd64 ]] || die "stand-in image platform is $plat, expected linux/amd64"
}

pushed=0
for tag in "${TAGS[@]}"; do
  for reg in "$PLAIN" "$AUTH"; do
    creds=(); [[ $reg == "$AUTH" ]] && creds=(-u "$USER_TOKEN:$PASSWORD")
    has_tag "$reg" "$tag" "${creds[@]}" && continue
    podman image exists "$STANDIN" || { log "building stand-in base image"; build_standin; }
    pcreds=(); [[ $reg == "$AUTH" ]] && pcreds=(--creds "$USER_TOKEN:$PASSWORD")
    podman push -q --tls-verify=false "${pcreds[@]}" "$STANDIN" "docker://$reg/nvidia/cuda:$tag" \
      || die "podman push to $reg/nvidia/cuda:$tag failed"
    pushed=$((pushed + 1))
  done
done

# Verify what the SDK will read: the config blob of a pushed tag says linux/amd64.
cfg=$(curl -sf "${ACCEPT[@]}" "http://$PLAIN/v2/nvidia/cuda/manifests/${TAGS[0]}" | tr -d ' \n' \
  | sed -n 's/.*"config":{[^}]*"digest":"\(sha256:[0-9a-f]*\)".*/\1/p')
plat=$(curl -sf "http://$PLAIN/v2/nvidia/cuda/blobs/$cfg" | grep -o '"\(architecture\|os\)":"[^"]*"' | sort | tr '\n' ' ')
[[ $plat == '"architecture":"amd64" "os":"linux" ' ]] || die "pushed image config has platform [$plat], expected amd64/linux"

# --- does podman run images here? (tests that run containers skip without it) ---
podman_ok=0
if podman run --rm --tls-verify=false "$PLAIN/nvidia/cuda:${TAGS[0]}" /lib64/ld-linux-x86-64.so.2 --version >/dev/null 2>"$ROOT/podman-check.log"; then
  podman_ok=1
else
  log "WARNING: podman cannot run containers here (see $ROOT/podman-check.log); container-run tests will skip"
fi

cat >"$ROOT/env.sh" <<EOF
# Generated by build/setup-test-env.sh; source it before running tests.
export CONTAINERS_CONF='$ROOT/containers.conf'
export CONTAINERS_REGISTRIES_CONF='$ROOT/registries.conf'
export DOTNET_CONTAINER_INSECURE_REGISTRIES='$PLAIN;$AUTH'
export VERTEX_TEST_REGISTRY='$PLAIN'
export VERTEX_TEST_AUTH_REGISTRY='$AUTH'
export VERTEX_TEST_AUTH_USER='$USER_TOKEN'
export VERTEX_TEST_AUTH_PASSWORD='$PASSWORD'
export VERTEX_TEST_BASE_IMAGE_REPO='$PLAIN/nvidia/cuda'
export VERTEX_TEST_AUTH_BASE_IMAGE_REPO='$AUTH/nvidia/cuda'
export VERTEX_TEST_ENV_READY=1
EOF
((podman_ok)) && echo "export VERTEX_TEST_PODMAN=1" >>"$ROOT/env.sh"

log "ready in ${SECONDS}s: registries $PLAIN (plain), $AUTH (htpasswd, user $USER_TOKEN);" \
  "nvidia/cuda tags: ${TAGS[*]} ($pushed pushed now); podman run: $([[ $podman_ok == 1 ]] && echo ok || echo unavailable)"
log "source $ROOT/env.sh"
