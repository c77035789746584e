#!/usr/bin/env bash
# The project against PyTorch on this CPU, in one run: training steps of the chapter's workloads (fp32, and bfloat16 +
# channels-last where this CPU computes it natively with oneDNN on), the host-bound tiny step, whole ResNet-50 epochs
# from JPEG and the loaders' images/s against torch's DataLoader; then every ratio (above 1.0 the project is faster).
# PyTorch's peers: fp32 with the project's allocator settings and again with glibc's defaults (as a user runs it), and
# for bfloat16 torch.autocast with float32 weights (the mixed-precision peer) and the whole model in bfloat16. PyTorch is Debian's python3-torch,
# installed when missing. Run it on an idle machine: the two sides take turns, so load from elsewhere skews both.
#   scripts/bench-cpu.sh            BENCH_STEPS (5: each step figure is their median, printed with min–max), BENCH_WORKLOADS (all), BENCH_EPOCH_ITEMS (200),
#                                   BENCH_DATA (datasets/scenes-quick) and BENCH_BUDGET_MINUTES (45: the project's side
#                                   skips what has not started by then, so the run always reaches PyTorch's side) change it
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-pytorch.sh
dotnet build src/MultiLabel.Cli -c Release --nologo -v quiet
tool=src/MultiLabel.Cli/bin/Release/net10.0/linux-x64/multilabel.dll
data="${BENCH_DATA:-datasets/scenes-quick}"
steps="${BENCH_STEPS:-5}"
workloads=()
[ -n "${BENCH_WORKLOADS:-}" ] && workloads=(--workloads "$BENCH_WORKLOADS")
log="$(mktemp)"
echo "== machine"
lscpu | grep -E "^(Model name|CPU\(s\)|L1d|L2|L3)" || true
dotnet "$tool" info | tee -a "$log"
modes=fp32
grep -q "^bfloat16: .*with oneDNN" "$log" && modes=fp32,bf16+cl
echo "== loaders"
dotnet "$tool" bench-data --data "$data" --batches 12 | tee -a "$log"
echo "== training steps (project)"
dotnet "$tool" bench-train --modes "$modes" --host-overhead yes --steps "$steps" "${workloads[@]}" --budget-minutes "${BENCH_BUDGET_MINUTES:-45}" \
  --epoch-data "$data" --epoch-items "${BENCH_EPOCH_ITEMS:-200}" --epochs 2 | tee -a "$log"
echo "== training steps and DataLoader (PyTorch, with the project's allocator settings)"
# The project raises glibc's mmap and trim thresholds at start-up (TorchRuntime); without the same, PyTorch maps and
# zeroes its large temporaries every step and runs up to 2x slower here, and the ratios would measure glibc's defaults.
GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=2147483647 /usr/bin/python3 scripts/gpu/pytorch_reference.py --device cpu --modes "$modes" --host-overhead --steps "$steps" \
  ${BENCH_WORKLOADS:+--workloads "$BENCH_WORKLOADS"} --loader-data "$data" \
  --epoch-data "$data" --epoch-items "${BENCH_EPOCH_ITEMS:-200}" --epochs 2 | tee -a "$log"
echo "== training steps (PyTorch as a user runs it: glibc's malloc defaults)"
/usr/bin/python3 scripts/gpu/pytorch_reference.py --device cpu --modes fp32 --host-overhead --steps "$steps" --label pytorch-glibc-defaults \
  ${BENCH_WORKLOADS:+--workloads "$BENCH_WORKLOADS"} | tee -a "$log"
echo "== ratios (same run)"
bash scripts/gpu/ratios.sh "$log"
