#!/usr/bin/env bash
# Everything that needs an NVIDIA GPU, in one run (docs/native-compatibility.md, "GPU check"):
#   1. the driver's view (nvidia-smi);
#   2. the Runtime's GPU probe, and EnsureGpus asked for the visible count (passes) and one more (fails);
#   3. the GPU sample, when the repository has one (samples/GpuTrainer, or GPU_SAMPLE=<project dir>),
#      for a fixed number of steps on the GPU (GPU_CHECK_STEPS) and on the CPU (GPU_CHECK_CPU_STEPS, fewer:
#      ILGPU's CPU accelerator is slow), with steps/s for each and the ratio.
# Without a GPU it says why it skips and exits 0, so CI runs it as it is. Needs only the .NET SDK
# (no podman, no registry): everything runs as processes.
set -euo pipefail
cd "$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
STEPS=${GPU_CHECK_STEPS:-200}
CPU_STEPS=${GPU_CHECK_CPU_STEPS:-20}
SAMPLE=${GPU_SAMPLE:-samples/GpuTrainer}

say() { printf 'gpu-check: %s\n' "$*"; }
skip() { say "skipped: $*"; exit 0; }

# --- 1. the driver's view ---
command -v nvidia-smi >/dev/null 2>&1 || skip "no nvidia-smi on PATH, so no NVIDIA driver on this machine"
smi=$(nvidia-smi --query-gpu=index,name,driver_version,memory.total --format=csv,noheader 2>&1) \
  || skip "nvidia-smi is installed but failed (no GPU visible, or the driver is not loaded): $smi"
[[ -n $smi ]] || skip "nvidia-smi lists no GPU"
say "driver's view (index, name, driver, memory):"
sed 's/^/  /' <<<"$smi"
nvidia-smi -L | sed 's/^/  /'

# --- 2. the Runtime's probe and EnsureGpus ---
say "building the GPU probe (build/GpuProbe)"
dotnet build build/GpuProbe/GpuProbe.csproj -c Release -nologo -v:q >/dev/null
if ! dotnet build/GpuProbe/bin/Release/net10.0/GpuProbe.dll | sed 's/^/  /'; then
  say "the Runtime's probe or EnsureGpus did not behave as the driver's view says"
  exit 1
fi

# --- 3. the GPU sample ---
if [[ ! -f $SAMPLE/$(basename "$SAMPLE").csproj ]]; then
  say "no GPU sample at $SAMPLE (set GPU_SAMPLE=<project dir>); steps/s not measured"
  exit 0
fi
say "packing VertexTraining for the samples, then building the GPU sample ($SAMPLE)"
bash build/pack-for-samples.sh >/dev/null
dotnet build "$SAMPLE" -c Release -nologo -v:q >/dev/null
rate() { # device steps: prints the sample's "steps/s: N" figure
  # A fresh checkpoint folder per run: the sample resumes from its latest checkpoint, and the CPU run must not
  # start where the GPU run ended.
  local checkpoints; checkpoints=$(mktemp -d)
  AIP_CHECKPOINT_DIR=$checkpoints dotnet run --project "$SAMPLE" -c Release --no-build -- --device="$1" --steps="$2" \
    | tee /dev/stderr | sed -n 's/.*steps\/s: *\([0-9.]*\).*/\1/p' | tail -n 1
  rm -rf "$checkpoints"
}
gpu=$(rate gpu "$STEPS") cpu=$(rate cpu "$CPU_STEPS")
[[ -n $gpu && -n $cpu ]] || { say "the sample printed no 'steps/s: N' line"; exit 1; }
say "GPU $gpu steps/s ($STEPS steps), CPU $cpu steps/s ($CPU_STEPS steps), GPU/CPU $(awk -v g="$gpu" -v c="$cpu" 'BEGIN { printf "%.1f", g / c }')x"
