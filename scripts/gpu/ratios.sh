#!/usr/bin/env bash
# Ratios from one benchmark log. Steps: each "project <workload> <mode> <ms> ms" line against PyTorch's line for the
# same workload and mode (PyTorch ms / project ms) — fp32, bf16+cl, host-overhead-fp32 — and on CUDA also against
# PyTorch with cuDNN's autotuner on (the project turns it on, as fastai does). Loaders: the project's images/s against
# torch's DataLoader on as many workers (project / PyTorch). Above 1.0 the project is faster.
#   bash ratios.sh LOG
set -euo pipefail
awk '$1=="pytorch" && $2!="data" && $5=="ms" {ref[$2" "$3]=$4}
     $1=="project" && $5=="ms" {mine[$2" "$3]=$4; order[++n]=$2" "$3}
     $1=="pytorch" && $2=="epoch-train" {eref[$3" "$4]=$5; ebatches[$3" "$4]=$8}
     $1=="project" && $2=="epoch-train" {emine[$3" "$4]=$5; eorder[++q]=$3" "$4; pbatches[$3" "$4]=$8}
     $1=="pytorch" && $2=="data" && $4=="pipeline" {split($0, a, ": "); split(a[2], r, " "); w=$5; sub(/:$/, "", w); dl[$3" "w]=r[1]}
     $1=="data" && $3=="pipeline-reduced" {split($0, a, ": "); split(a[2], r, " "); w=$4; sub(/:$/, "", w); ours[$2" "w]=r[1]; dorder[++m]=$2" "w}
     END {
       for (i = 1; i <= n; i++) {
         k = order[i]; split(k, p, " ")
         if (k in ref) printf "ratio %s %s %.2f (pytorch %.2f ms, project %.2f ms)\n", p[1], p[2], ref[k]/mine[k], ref[k], mine[k]
         if ((k "+autotune") in ref) printf "ratio %s %s vs pytorch+autotune %.2f (pytorch %.2f ms, project %.2f ms)\n", p[1], p[2], ref[k "+autotune"]/mine[k], ref[k "+autotune"], mine[k]
       }
       for (i = 1; i <= q; i++) {
         k = eorder[i]
         if (k in eref) { split(k, p, " "); printf "ratio epoch %s %s %.2f (pytorch %.2f s, project %.2f s per epoch from JPEG; %s and %s batches)\n", p[1], p[2], eref[k]/emine[k], eref[k], emine[k], ebatches[k], pbatches[k] }
       }
       for (i = 1; i <= m; i++) {
         k = dorder[i]
         if (k in dl) { split(k, p, " "); printf "ratio data %s loader %s %.2f (project %.0f img/s, pytorch DataLoader %.0f img/s)\n", p[1], p[2], ours[k]/dl[k], ours[k], dl[k] }
       }
     }' "$1"
grep -E "^project (epoch-ratio|memory-ratio|live-tensor-handles)" "$1" || true
