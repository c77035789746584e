#!/usr/bin/env bash
# Runs on a GPU machine that has PyTorch but no .NET, from device-bundle/ (scripts/gpu/make-bundle.sh): the project's
# data and training benchmarks against PyTorch's CUDA libtorch, and pytorch_reference.py in the same run, then prints
# every project figure with its PyTorch ratio (PyTorch time / project time; ≥ 1.0 means the project is as fast or faster).
#   bash device-bundle/bench.sh [device-bundle]
# BENCH_STEPS (30), BENCH_EPOCHS (10), BENCH_DATA (/tmp/multilabel-bench-data) change the run; a CPU dry run of the same
# script: MULTILABEL_LIBTORCH=<a CPU libtorch folder> BENCH_SCENES=datasets/scenes-quick BENCH_STEPS=2 BENCH_EPOCHS=2
# BENCH_EPOCH_ITEMS=64 BENCH_WORKLOADS=keypoint-resnet18-240x320 bash device-bundle/bench.sh device-bundle
set -uo pipefail
bundle="$(cd "${1:-$(dirname "$0")}" && pwd)"
dn="${DOTNET_RUNTIME_DIR:-$HOME/dn}"
mkdir -p "$dn" && tar -xJf "$bundle/dotnet-runtime.tar.xz" -C "$dn"
export DOTNET_ROOT="$dn" PATH="$dn:$PATH"
export MULTILABEL_LIBTORCH="${MULTILABEL_LIBTORCH:-$(python3 -c 'import torch,os;print(os.path.join(os.path.dirname(torch.__file__),"lib"))')}"
data="${BENCH_DATA:-/tmp/multilabel-bench-data}"
scenes="${BENCH_SCENES:-$data/scenes-full}"
steps="${BENCH_STEPS:-30}"
workloads=()
[ -n "${BENCH_WORKLOADS:-}" ] && workloads=(--workloads "$BENCH_WORKLOADS")
log="$(mktemp)"
nvidia-smi --query-gpu=name,memory.used,memory.total --format=csv,noheader || true
if [ ! -f "$scenes/train.csv" ]; then
  echo "== generating PASCAL-sized scenes (5,011 JPEGs at 500x375)"
  dotnet "$bundle/datasets/multilabel-datasets.dll" full --out "$data" --only scenes
fi
echo "== data pipeline ($(nproc) cores)"
dotnet "$bundle/app/multilabel.dll" bench-data --data "$scenes" --batches "${BENCH_DATA_BATCHES:-40}" | tee -a "$log"
echo "== training steps, epochs and memory"
dotnet "$bundle/app/multilabel.dll" bench-train --steps "$steps" "${workloads[@]}" --epoch-data "$scenes" \
  --epochs "${BENCH_EPOCHS:-10}" --epoch-items "${BENCH_EPOCH_ITEMS:-5011}" | tee -a "$log"
echo "== PyTorch reference"
if python3 -c 'import torch; assert torch.cuda.is_available()' 2>/dev/null; then
  python3 "$bundle/pytorch_reference.py" --steps "$steps" --host-overhead --loader-data "$scenes" --epoch-data "$scenes" --epoch-items "${BENCH_EPOCH_ITEMS:-5011}" --epochs "${BENCH_EPOCHS:-10}" ${BENCH_WORKLOADS:+--workloads "$BENCH_WORKLOADS"} | tee -a "$log"
else
  echo "no CUDA PyTorch here: no reference figures, no ratios"
fi
echo "== ratios (PyTorch ms / project ms, same run)"
bash "$bundle/ratios.sh" "$log"
