#!/usr/bin/env bash
# Benchmark (not a test): what a training image costs to push, three ways, side by side, in one run.
#   (a) single    the SDK's default: PublishContainer's one layer (-p:VertexImageLayers=single)
#   (b) podman    the classic route: dotnet publish, a Dockerfile COPY of the publish folder, podman build + push
#   (c) layered   ours (-p:VertexImageLayers=split, the default): runtime, dependencies and app layers
#   (0) publish   the floor: the same command up to the image and no further (the image build's
#                 restore, compile and self-contained linux-x64 publish, as a process-mode local run
#                 builds it), so that each method's own image step is its time minus this one
# each for a first publish, a re-publish with no change, and a one-line change to the app, on the
# heavy trainer (testassets/HeavyTrainer: TorchSharp-cpu 0.107.0) and the small sample
# (samples/MoonsClassifier). Pushes go to a fresh registry on loopback behind
# build/registry-counting-proxy.py, which counts the request bytes it receives: bytes uploaded
# are measured at the registry, not estimated. Wall time is that of the whole command, build included.
#
#   bash build/benchmark-layers.sh [heavy|small|small-noserver|small-local|all]      (default all)
#   BENCH_REPEATS=n repeats each app n times (default 1); BENCH_REPEATS_HEAVY / _SMALL / ... per app.
#
# "small-local" is the local container engine instead of a registry: `dotnet msbuild -t:SubmitTraining`
# with VertexTarget=Local in container mode (a one-trial job), (a) loading the SDK's one-layer archive
# into podman, (c) pulling the layered image from the build's loopback registry. Its bytes are what
# the run added to podman's storage plus the loopback registry's store, measured with du.
#
# The C# compiler runs as the SDK runs it by default, through its compiler server (VBCSCompiler).
# This environment sets UseSharedCompilation=false, which makes every compile start a fresh
# compiler (about 2 s more per build, for all three methods alike): "small-noserver" is the small
# sample built that way, so both figures come from the same run.
#
# Writes artifacts/benchmark/results.tsv and results.md (the table docs/layered-images.md shows).
# The apps are built outside this repository (BENCH_ROOT, default /tmp/vertex-layers-benchmark):
# inside it, the SDK would stamp the repository's current commit into the app's assembly, and a
# commit landing mid-run would count as a change.
set -euo pipefail
cd "$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")"
REPO=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 MSBUILDDISABLENODEREUSE=1
unset UseSharedCompilation   # the SDK's default: the compiler server (see above)
APPS=${1:-all}
REPEATS=${BENCH_REPEATS:-1}
WORK=${BENCH_ROOT:-${TMPDIR:-/tmp}/vertex-layers-benchmark}
OUT=$REPO/artifacts/benchmark
PORT=${BENCH_REGISTRY_PORT:-5010}
PROXY_PORT=$((PORT + 1))
REGISTRY=127.0.0.1:$PROXY_PORT
log() { echo "benchmark: $*" >&2; }

bash build/setup-test-env.sh >/dev/null
# shellcheck source=/dev/null
source "${VERTEX_TEST_ROOT:-/tmp/vertex-test-env}/env.sh"
BASE="$VERTEX_TEST_BASE_IMAGE_REPO:12.4.1-cudnn-runtime-ubuntu22.04"
export DOTNET_CONTAINER_INSECURE_REGISTRIES="$DOTNET_CONTAINER_INSECURE_REGISTRIES;$REGISTRY;127.0.0.1:$PORT"
# The benchmark's own credentials-free registry: nothing from the machine may leak into the builds.
unset DOTNET_CONTAINER_PUSH_REGISTRY_UNAME DOTNET_CONTAINER_PUSH_REGISTRY_PWORD DOTNET_CONTAINER_REGISTRY_UNAME DOTNET_CONTAINER_REGISTRY_PWORD

log "packing VertexTraining.Build and VertexTraining.Runtime into artifacts/packages"
dotnet pack src/VertexTraining.Build -c Release -o artifacts/packages -v:q -nologo >/dev/null
dotnet pack src/VertexTraining.Runtime -c Release -o artifacts/packages -v:q -nologo >/dev/null
VERSION=$(sed -n 's/.*<Version Condition=.*>\(.*\)<\/Version>.*/\1/p' Directory.Build.props | head -n1)

# --- a fresh registry and the counting proxy in front of it (both ours: stopped on exit) ---
rm -rf "$WORK/registry" "$WORK/work" "$WORK/uploads.jsonl"
mkdir -p "$WORK/registry" "$WORK/work" "$WORK/packages" "$OUT"
rm -rf "$WORK"/packages/vertextraining.*   # NuGet caches by version: always the package just packed
cat >"$WORK/registry/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $WORK/registry/data
http:
  addr: 127.0.0.1:$PORT
EOF
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
docker-registry serve "$WORK/registry/config.yml" >"$WORK/registry/registry.log" 2>&1 &
PIDS+=($!)
python3 build/registry-counting-proxy.py "$PROXY_PORT" "127.0.0.1:$PORT" "$WORK/uploads.jsonl" &
PIDS+=($!)
for _ in $(seq 100); do curl -fs "http://$REGISTRY/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://$REGISTRY/v2/" >/dev/null || { log "ERROR: the registry behind the proxy did not start"; exit 1; }
touch "$WORK/uploads.jsonl"
podman pull -q "$BASE" >/dev/null   # (b) builds FROM it: pulled once, before anything is timed

uploaded_since() { # line-number -> bytes of request bodies received since that line
  tail -n +"$(($1 + 1))" "$WORK/uploads.jsonl" | python3 -c 'import sys, json; print(sum(json.loads(l)["bytes"] for l in sys.stdin if l.strip()))'
}
blobs_since() { # blob uploads completed (PUT .../blobs/uploads/...?digest=) since that line
  tail -n +"$(($1 + 1))" "$WORK/uploads.jsonl" | python3 -c 'import sys, json; print(sum(1 for l in sys.stdin if l.strip() and (r := json.loads(l))["method"] == "PUT" and "/blobs/uploads/" in r["path"] and "digest=" in r["path"] and r["status"] < 300))'
}

# --- one copy of an app per method, as a user's checkout would be ---
prepare() { # app method rep -> project folder
  local app=$1 method=$2 rep=$3 src dir
  case $app in heavy) src=testassets/HeavyTrainer ;; small|small-noserver|small-local) src=samples/MoonsClassifier ;; esac
  dir="$WORK/work/$app-$method-$rep"
  rm -rf "$dir"; mkdir -p "$dir"
  (cd "$src" && find . -maxdepth 1 -type f \( -name '*.cs' -o -name '*.csproj' \) -exec cp {} "$dir/" \;)
  echo '<Project />' >"$dir/Directory.Build.props"; echo '<Project />' >"$dir/Directory.Build.targets"
  cat >"$dir/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config><add key="globalPackagesFolder" value="$WORK/packages" /></config>
  <packageSources><clear /><add key="local" value="$REPO/artifacts/packages" /><add key="nuget.org" value="https://api.nuget.org/v3/index.json" /></packageSources>
</configuration>
EOF
  printf 'bin/\nobj/\n' >"$dir/.dockerignore"
  local assembly; assembly=$(basename "$dir"/*.csproj .csproj)
  cat >"$dir/Dockerfile" <<EOF
FROM $BASE
COPY --chown=1000:0 out/ /app/
WORKDIR /app
USER 1000
ENV PATH=/usr/local/nvidia/bin:/usr/local/cuda/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LD_LIBRARY_PATH=/usr/local/nvidia/lib:/usr/local/nvidia/lib64:/usr/local/cuda/lib64 HOME=/tmp
ENTRYPOINT ["/app/$assembly"]
EOF
  # Restore (packages into the cache) is not what is measured: every method starts from a warm cache.
  (cd "$dir" && dotnet restore -v:q -nologo "-p:VertexTrainingVersion=$VERSION" >/dev/null && dotnet restore -v:q -nologo -r linux-x64 "-p:VertexTrainingVersion=$VERSION" >/dev/null)
  echo "$dir"
}

edit_app() { # folder revision: the one-line change
  python3 - "$1" "$2" <<'EOF'
import pathlib, sys
folder, revision = pathlib.Path(sys.argv[1]), sys.argv[2]
program = folder / "Program.cs"
text = program.read_text()
for marker, replacement in (('const string Revision = "r0";', f'const string Revision = "{revision}";'),
                            ('Console.WriteLine($"trial=', f'Console.WriteLine($"{revision} trial=')):
    if marker in text:
        program.write_text(text.replace(marker, replacement, 1))
        break
else:
    sys.exit("no line to change in " + str(program))
EOF
}

publish() { # folder method repository
  local dir=$1 method=$2 repo=$3 assembly
  assembly=$(basename "$dir"/*.csproj .csproj)
  # Each compile starts its own compiler instead of using the server, as this environment would.
  if [[ $dir == */small-noserver-* ]]; then local -x UseSharedCompilation=false; fi
  case $method in
    single|layered)
      local layers=split; [[ $method == single ]] && layers=single
      if [[ $dir == */small-local-* ]]; then
        (cd "$dir" && XDG_CACHE_HOME="$dir/cache" dotnet msbuild -restore -t:SubmitTraining -nologo -v:m -tl:off \
          "-p:VertexTrainingVersion=$VERSION" -p:Configuration=Release -p:VertexTarget=Local -p:VertexLocalMode=container \
          "-p:VertexCudaImageRepository=$VERTEX_TEST_BASE_IMAGE_REPO" "-p:VertexImageLayers=$layers" \
          -p:VertexMaxTrialCount=1 -p:VertexParallelTrialCount=1 -p:VertexMaxFailedTrialCount=0)
        return
      fi
      (cd "$dir" && dotnet msbuild -restore -t:_VertexBuildImage -nologo -v:m -tl:off \
        "-p:VertexTrainingVersion=$VERSION" -p:Configuration=Release -p:VertexTarget=Cloud -p:VertexProject=benchmark-project \
        "-p:ContainerRegistry=$REGISTRY" "-p:ContainerRepository=$repo" "-p:VertexCudaImageRepository=$VERTEX_TEST_BASE_IMAGE_REPO" \
        "-p:VertexImageLayers=$layers")
      ;;
    publish)
      (cd "$dir" && dotnet msbuild -restore -t:_VertexBuildImage -nologo -v:m -tl:off \
        "-p:VertexTrainingVersion=$VERSION" -p:Configuration=Release -p:VertexTarget=Local -p:VertexLocalMode=process)
      ;;
    podman)
      (cd "$dir" && dotnet publish -c Release -r linux-x64 --self-contained -p:InvariantGlobalization=true \
          "-p:VertexTrainingVersion=$VERSION" -o out -v:q -nologo \
        && podman build -q -t "$REGISTRY/$repo:latest" . \
        && podman push -q --tls-verify=false "$REGISTRY/$repo:latest")
      ;;
  esac
}

RESULTS="$OUT/results.tsv"
printf 'app\trep\tscenario\tmethod\tbytes\tblobs\tseconds\n' >"$RESULTS"
GRAPHROOT=$(podman info --format '{{.Store.GraphRoot}}')
stored_bytes() { # folder -> bytes in podman's storage and the folder's loopback-registry store
  { du -sb "$GRAPHROOT" "$1/cache" 2>/dev/null || true; } | awk '{s += $1} END {printf "%.0f\n", s}'   # || true: the single-layer route has no cache/
}
LOCAL_IMAGES=()
measure() { # app rep scenario method folder repository
  local before start end bytes blobs seconds stored
  before=$(wc -l <"$WORK/uploads.jsonl")
  [[ $1 == *-local ]] && stored=$(stored_bytes "$5")
  # Each measurement starts with nothing left to write back: what the one before wrote (podman's
  # storage after a build, the SDK's layer cache) is flushed here, untimed, not during the next one.
  sync
  start=$(date +%s.%N)
  if ! publish "$5" "$4" "$6" >"$5/publish-$3.log" 2>&1; then
    log "ERROR: $1 $3 $4 failed; see $5/publish-$3.log"; tail -n 30 "$5/publish-$3.log" >&2; exit 1
  fi
  end=$(date +%s.%N)
  bytes=$(uploaded_since "$before"); blobs=$(blobs_since "$before")
  if [[ $1 == *-local ]]; then
    bytes=$(($(stored_bytes "$5") - stored)); blobs=0
    for name in localhost/moonsclassifier:latest docker.io/library/moonsclassifier:latest; do
      LOCAL_IMAGES+=("$(podman image inspect --format '{{.Id}}' "$name" 2>/dev/null || true)")
    done
  fi
  seconds=$(python3 -c "print(f'{$end - $start:.1f}')")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$bytes" "$blobs" "$seconds" >>"$RESULTS"
  log "$1 #$2 $3 $4: $bytes bytes in $blobs blobs, $seconds s"
}

case $APPS in all) APP_LIST=(heavy small small-noserver small-local) ;; *) APP_LIST=("$APPS") ;; esac
for app in "${APP_LIST[@]}"; do
  METHODS=(publish single podman layered)
  [[ $app == *-local ]] && METHODS=(single layered)   # no registry, so no push route to compare (and no floor: the run itself differs)
  app_repeats_var="BENCH_REPEATS_${app^^}"; app_repeats_var=${app_repeats_var//-/_}
  for rep in $(seq "${!app_repeats_var:-$REPEATS}"); do
    declare -A DIRS=()
    for method in "${METHODS[@]}"; do
      DIRS[$method]=$(prepare "$app" "$method" "$rep")
      podman rmi -f "$REGISTRY/bench/$app-$method-$rep:latest" >/dev/null 2>&1 || true
    done
    # Interleaved, so that a busy machine slows all three alike, and in an order that rotates
    # with each repeat, so that none always runs first (cold caches) or last.
    shift_by=$(((rep - 1) % ${#METHODS[@]}))
    ORDER=("${METHODS[@]:$shift_by}" "${METHODS[@]:0:$shift_by}")
    for scenario in first no-change one-line-change; do
      for method in "${ORDER[@]}"; do
        [[ $scenario == one-line-change ]] && edit_app "${DIRS[$method]}" "r$rep"
        measure "$app" "$rep" "$scenario" "$method" "${DIRS[$method]}" "bench/$app-$method-$rep"
      done
    done
  done
done

# The local runs' images: podman's storage is the user's, so leave it as it was.
for id in "${LOCAL_IMAGES[@]}"; do [[ -n $id ]] && podman rmi -f "$id" >/dev/null 2>&1 || true; done

python3 - "$RESULTS" "$OUT/results.md" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
def cell(app, scenario, method, key):
    values = [float(r[key]) for r in rows if r["app"] == app and r["scenario"] == scenario and r["method"] == method]
    return statistics.median(values) if values else None
def size(b):
    return f"{b / 1e6:.1f} MB" if b >= 1e6 else f"{b / 1e3:.1f} kB" if b >= 1e3 else f"{b:.0f} B"
names = {"publish": "(0) publish only, no image", "single": "(a) SDK single layer", "podman": "(b) Dockerfile + podman", "layered": "(c) layered (ours)"}
apps = {"heavy": "HeavyTrainer (TorchSharp-cpu)", "small": "MoonsClassifier sample", "small-noserver": "MoonsClassifier, no compiler server",
        "small-local": "MoonsClassifier, local podman run"}
reps = ", ".join(f'{app}: {len({r["rep"] for r in rows if r["app"] == app})}' for app in dict.fromkeys(r["app"] for r in rows))
out = [f"Medians of the repeats ({reps}).", "", "| App | Publish | Method | Uploaded | Blobs | Wall time |", "|---|---|---|---:|---:|---:|"]
checks = []
for app in dict.fromkeys(r["app"] for r in rows):
    for scenario in ("first", "no-change", "one-line-change"):
        for method in ("publish", "single", "podman", "layered"):
            b, n, s = (cell(app, scenario, method, k) for k in ("bytes", "blobs", "seconds"))
            if b is not None:
                out.append(f"| {apps[app]} | {scenario} | {names[method]} | {size(b)} | {n:.0f} | {s:.1f} s |")
    def per_repeat(scenario, method, other, combine):  # median over the repeats: each repeat ran under the same load
        pairs = {}
        for r in rows:
            if r["app"] == app and r["scenario"] == scenario and r["method"] in (method, other):
                pairs.setdefault(r["rep"], {})[r["method"]] = float(r["seconds"])
        return statistics.median(combine(p[method], p[other]) for p in pairs.values() if len(p) == 2)
    def ratio(scenario, method, over):
        return per_repeat(scenario, method, over, lambda m, o: m / o)
    ab, cb = cell(app, "one-line-change", "single", "bytes"), cell(app, "one-line-change", "layered", "bytes")
    if app.endswith("-local"):  # (a) and (c) only; bytes are what was stored, not uploaded
        ca, first = ratio("one-line-change", "layered", "single"), ratio("first", "layered", "single")
        nb = cell(app, "no-change", "layered", "bytes")
        checks += [
            f"{app}: one-line change stores {100 * cb / ab:.2f}% of what (a) stores, in {ca:.2f}x (a)'s time",
            f"{app}: first run takes {first:.2f}x (a) (target <= 1.10x): {'PASS' if first <= 1.1 else 'FAIL'}",
            f"{app}: no-change re-run stores {size(nb)}",
        ]
        continue
    def image_step(scenario, method):  # the method's time minus the floor's
        return per_repeat(scenario, method, "publish", lambda m, f: m - f)
    ca, cbt, first = ratio("one-line-change", "layered", "single"), ratio("one-line-change", "layered", "podman"), ratio("first", "layered", "single")
    floor = cell(app, "one-line-change", "publish", "seconds")
    sa, sb, sc = (image_step("one-line-change", m) for m in ("single", "podman", "layered"))
    nb = max(float(r["blobs"]) for r in rows if r["app"] == app and r["scenario"] == "no-change" and r["method"] == "layered")
    checks += [
        f"{app}: one-line change uploads {100 * cb / ab:.2f}% of (a) (target <= 1%): {'PASS' if cb <= 0.01 * ab else 'FAIL'}",
        f"{app}: one-line change takes {ca:.2f}x (a) and {cbt:.2f}x (b) (target <= 0.5x both): {'PASS' if ca <= 0.5 and cbt <= 0.5 else 'FAIL'}",
        f"{app}: first publish takes {first:.2f}x (a) (target <= 1.10x): {'PASS' if first <= 1.1 else 'FAIL'}",
        f"{app}: no-change re-publish uploads at most {nb:.0f} blobs (target 0): {'PASS' if nb == 0 else 'FAIL'}",
        f"{app}: one-line change, time above the floor ((0) {floor:.1f} s: restore, compile, publish): (c) {sc:.2f} s, (a) {sa:.2f} s, (b) {sb:.2f} s, so (c)'s image step takes {sc / sa:.2f}x (a)'s and {sc / sb:.2f}x (b)'s",
    ]
text = "\n".join(out) + "\n\nTargets (time ratios are medians of the per-repeat ratios):\n\n" + "\n".join("- " + c for c in checks) + "\n"
open(sys.argv[2], "w").write(text)
print(text)
EOF
log "results: $RESULTS, $OUT/results.md"
