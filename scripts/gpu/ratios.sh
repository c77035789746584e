#!/usr/bin/env bash
# Ratios from one benchmark log: each "project <workload> <mode> <ms> ms" line against PyTorch's line for the same
# workload — fp32 against PyTorch fp32, bf16+cl against PyTorch bf16+cl (eager defaults) and against the same with
# cuDNN's autotuner on (the project turns it on, as fastai does).
#   bash ratios.sh LOG
set -euo pipefail
awk '$1=="pytorch" && $5=="ms" {ref[$2" "$3]=$4}
     $1=="project" && ($3=="fp32" || $3=="bf16+cl") && $5=="ms" {mine[$2" "$3]=$4; order[++n]=$2" "$3}
     END {
       for (i = 1; i <= n; i++) {
         k = order[i]; split(k, p, " ")
         if (k in ref) printf "ratio %s %s %.2f (pytorch %.2f ms, project %.2f ms)\n", p[1], p[2], ref[k]/mine[k], ref[k], mine[k]
         if ((k "+autotune") in ref) printf "ratio %s %s vs pytorch+autotune %.2f (pytorch %.2f ms, project %.2f ms)\n", p[1], p[2], ref[k "+autotune"]/mine[k], ref[k "+autotune"], mine[k]
       }
     }' "$1"
grep -E "^project (epoch-ratio|memory-ratio|live-tensor-handles)" "$1" || true
