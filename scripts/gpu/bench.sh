#!/usr/bin/env bash
# Runs on a GPU machine that has PyTorch but no .NET, from device-bundle/ (scripts/gpu/make-bundle.sh): the project's
# training-step and data benchmarks against PyTorch's CUDA libtorch, and pytorch_reference.py in the same run, then
# prints every project figure with its PyTorch ratio (PyTorch time / project time).
#   bash device-bundle/bench.sh [device-bundle]
set -uo pipefail
bundle="$(cd "${1:-$(dirname "$0")}" && pwd)"
dn="${DOTNET_RUNTIME_DIR:-$HOME/dn}"
mkdir -p "$dn" && tar -xJf "$bundle/dotnet-runtime.tar.xz" -C "$dn"
export DOTNET_ROOT="$dn" PATH="$dn:$PATH"
export MULTILABEL_LIBTORCH="${MULTILABEL_LIBTORCH:-$(python3 -c 'import torch,os;print(os.path.join(os.path.dirname(torch.__file__),"lib"))')}"
data="${BENCH_DATA:-/tmp/multilabel-bench-data}"
log="$(mktemp)"
nvidia-smi --query-gpu=name,memory.used,memory.total --format=csv,noheader || true
echo "== generating PASCAL-sized scenes (5,011 JPEGs at 500x375)"
dotnet "$bundle/datasets/multilabel-datasets.dll" full --out "$data" --only scenes
echo "== data pipeline ($(nproc) cores)"
dotnet "$bundle/app/multilabel.dll" bench-data --data "$data/scenes-full" --batches 40 | tee -a "$log"
echo "== training steps"
dotnet "$bundle/app/multilabel.dll" bench-train --steps "${BENCH_STEPS:-30}" --epoch-data "$data/scenes-full" | tee -a "$log"
echo "== PyTorch reference"
python3 "$bundle/pytorch_reference.py" --steps "${BENCH_STEPS:-30}" | tee -a "$log"
echo "== ratios (PyTorch fp32 ms / project fp32 ms)"
awk '$1=="pytorch" && $3=="fp32" {ref[$2]=$4} $1=="project" && $3=="fp32" {mine[$2]=$4}
     END {for (w in mine) if (w in ref) printf "ratio %s fp32 %.2f (pytorch %.2f ms, project %.2f ms)\n", w, ref[w]/mine[w], ref[w], mine[w]}' "$log"
