#!/usr/bin/env bash
# The project against PyTorch on this CPU, in one run: training steps of the chapter's workloads (fp32, and bfloat16 +
# channels-last where this CPU computes it natively with oneDNN on), the host-bound tiny step, how cost grows with the
# batch and the image size, whole ResNet-50 epochs from PASCAL-sized JPEGs, and the loaders' images/s against torch's
# DataLoader on thumbnails and on photo-sized JPEGs (PASCAL 500×375, BIWI 640×480); then every ratio (above 1.0 the
# project is faster). PyTorch's peers: fp32 with the project's allocator settings and again with glibc's defaults (as a
# user runs it), and for bfloat16 torch.autocast with float32 weights (the mixed-precision peer) and the whole model in
# bfloat16. PyTorch is Debian's python3-torch, installed when missing; the photo-sized sets are generated once into
# artifacts/bench-data. Run it on an idle machine: the two sides take turns, so load from elsewhere skews both.
#   scripts/bench-cpu.sh   BENCH_STEPS (5: each step figure is their median, printed with min–max), BENCH_WORKLOADS (all),
#                          BENCH_GROWTH (1; 0 leaves the growth tables out), BENCH_EPOCH_ITEMS (1000; "1000,5000" adds
#                          5,000-image epochs, ~20 more minutes on 2 cores), BENCH_DATA (datasets/scenes-quick: the
#                          thumbnails' loader figure), BENCH_README (1: keep the log as docs/benchmarks/cpu-avx512.log
#                          or cpu-avx2.log, by this CPU, and write that kind's README tables from it, scripts/bench-report.py) and BENCH_BUDGET_MINUTES (60: the project's side skips what has not started by then, so the run
#                          always reaches PyTorch's side) change it
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-pytorch.sh
dotnet build src/MultiLabel.Cli -c Release --nologo -v quiet
tool=src/MultiLabel.Cli/bin/Release/net10.0/linux-x64/multilabel.dll
data="${BENCH_DATA:-datasets/scenes-quick}"
steps="${BENCH_STEPS:-5}"
epoch_items="${BENCH_EPOCH_ITEMS:-1000}"
growth=(); [ "${BENCH_GROWTH:-1}" = 1 ] && growth=(--growth)
# Photo-sized sets: as many scenes as the longest epoch asks (at least 768 for the loaders), 768 BIWI frames.
photos=artifacts/bench-data
scenes_count=$(echo "$epoch_items" | tr ',' '\n' | sort -n | tail -1); [ "$scenes_count" -lt 768 ] && scenes_count=768
if [ "$(ls "$photos/scenes-full/train" 2>/dev/null | wc -l)" -lt "$scenes_count" ]; then
  rm -rf "$photos/scenes-full"
  dotnet run --project src/MultiLabel.Datasets -c Release -- full --count "$scenes_count" --only scenes --out "$photos"
fi
[ -f "$photos/headpose-full/01/rgb.cal" ] || dotnet run --project src/MultiLabel.Datasets -c Release -- full --count 768 --only headpose --out "$photos"
workloads=()
[ -n "${BENCH_WORKLOADS:-}" ] && workloads=(--workloads "$BENCH_WORKLOADS")
log="$(mktemp)"
echo "== machine"
lscpu | grep -E "^(Model name|CPU\(s\)|L1d|L2|L3)" || true
isa=$(grep -o -m1 -w -E "avx512_bf16|avx512f|avx2" /proc/cpuinfo | sort -u | tr '\n' ' ' | sed 's/ $//')
caches=no; lscpu | grep -q "^L2 cache" && caches=yes
echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, ${isa:-no AVX2}, cache sizes reported: $caches" | tee -a "$log"
echo "run: $(date -u +%F), BENCH_STEPS=$steps, BENCH_EPOCH_ITEMS=$epoch_items, BENCH_GROWTH=${BENCH_GROWTH:-1}, loaders $data + photo-sized sets" | tee -a "$log"
dotnet "$tool" info | tee -a "$log"
modes=fp32
grep -q "^bfloat16: .*with oneDNN" "$log" && modes=fp32,bf16+cl
echo "== loaders"
for folder in "$data" "$photos/scenes-full" "$photos/headpose-full"; do
  dotnet "$tool" bench-data --data "$folder" --batches 12 | tee -a "$log"
done
echo "== training steps (project)"
dotnet "$tool" bench-train --modes "$modes" --host-overhead yes --growth "$([ ${#growth[@]} -gt 0 ] && echo yes || echo no)" --steps "$steps" "${workloads[@]}" \
  --budget-minutes "${BENCH_BUDGET_MINUTES:-60}" --epoch-data "$photos/scenes-full" --epoch-items "$epoch_items" --epochs 2 | tee -a "$log"
echo "== training steps and DataLoader (PyTorch, with the project's allocator settings)"
# The project raises glibc's mmap and trim thresholds at start-up (TorchRuntime); without the same, PyTorch maps and
# zeroes its large temporaries every step and runs up to 2x slower here, and the ratios would measure glibc's defaults.
GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=2147483647 /usr/bin/python3 scripts/gpu/pytorch_reference.py --device cpu --modes "$modes" --host-overhead "${growth[@]}" --steps "$steps" \
  ${BENCH_WORKLOADS:+--workloads "$BENCH_WORKLOADS"} --loader-data "$data" --loader-data "$photos/scenes-full" --loader-data "$photos/headpose-full" | tee -a "$log"
for items in ${epoch_items//,/ }; do
  GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=2147483647 /usr/bin/python3 scripts/gpu/pytorch_reference.py --device cpu --modes fp32 \
    --workloads none --epoch-data "$photos/scenes-full" --epoch-items "$items" --epochs 2 | tee -a "$log"
done
echo "== training steps (PyTorch as a user runs it: glibc's malloc defaults)"
/usr/bin/python3 scripts/gpu/pytorch_reference.py --device cpu --modes fp32 --host-overhead --steps "$steps" --label pytorch-glibc-defaults \
  ${BENCH_WORKLOADS:+--workloads "$BENCH_WORKLOADS"} | tee -a "$log"
echo "== ratios (same run)"
bash scripts/gpu/ratios.sh "$log"
if [ "${BENCH_README:-0}" = 1 ]; then
  # One log and one README section per kind of CPU (from the flags the machine line printed): the figures of an AVX2
  # VM and an AVX-512 one differ too much to stand for each other.
  case " $isa " in *" avx512f "*) kind=avx512 ;; *" avx2 "*) kind=avx2 ;; *) kind= ;; esac
  if [ -z "$kind" ]; then
    echo "this CPU has no AVX2: the README keeps sections for AVX2 and AVX-512 VMs only; the log is $log"
  else
    mkdir -p docs/benchmarks && cp "$log" "docs/benchmarks/cpu-$kind.log"
    /usr/bin/python3 scripts/bench-report.py "docs/benchmarks/cpu-$kind.log" --readme README.md --section "$kind"
    echo "wrote docs/benchmarks/cpu-$kind.log and README.md's $kind benchmark tables"
  fi
fi
