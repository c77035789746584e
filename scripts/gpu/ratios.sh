#!/usr/bin/env bash
# Ratios from one benchmark log (PyTorch time / project time: above 1.0 the project is faster). Steps: each
# "project <workload> <mode> <ms> ms" line against PyTorch's lines for the same workload —
#   optimizer-fp32            against AdamW per tensor (torch 1.13's CPU default) and foreach;
#   fp32, host-overhead-fp32  against PyTorch fp32 (with the project's allocator settings) and, where the log has them,
#                             against "pytorch-glibc-defaults" (PyTorch as a user runs it, glibc's malloc defaults);
#   bf16+cl                   against PyTorch's autocast in bfloat16 with float32 weights (bf16-autocast+cl: the
#                             mixed-precision peer, as the project keeps float32 masters like fastai) and, for reference,
#                             the whole model in bfloat16 (bf16-model+cl);
# and on CUDA also against PyTorch with cuDNN's autotuner on (the project turns it on, as fastai does). Loaders: the
# project's images/s against torch's DataLoader on as many workers (project / PyTorch), one line per data folder. Epochs:
# seconds per epoch, one line per epoch length (in batches). Growth: ms per image at each batch size and image size.
# Phases: the host-bound step split into forward, loss, backward, the optimizer's step and the rest, both sides.
#   bash ratios.sh LOG
set -euo pipefail
awk '$1 ~ /^pytorch/ && $2!="data" && $2!="epoch-train" && $2!="growth" && $5=="ms" {ref[$1" "$2" "$3]=$4}
     $1=="project" && $5=="ms" {mine[$2" "$3]=$4; order[++n]=$2" "$3}
     $1=="pytorch" && $2=="epoch-train" {eref[$3" "$4" "$8]=$5}
     $1=="project" && $2=="epoch-train" {emine[$3" "$4" "$8]=$5; eorder[++q]=$3" "$4" "$8}
     $1=="pytorch" && $2=="growth" {gref[$3" "$5" "$7]=$8}
     $1=="project" && $2=="growth" {gmine[$3" "$5" "$7]=$8; gorder[++g]=$3" "$5" "$7}
     $1=="pytorch" && $3 ~ /-phases$/ {pph[$2" "$3]=$0}
     $1=="project" && $3 ~ /-phases$/ {mph[$2" "$3]=$0; porder[++nph]=$2" "$3}
     $1=="pytorch" && $2=="data" && $4=="pipeline" {split($0, a, ": "); split(a[2], r, " "); w=$5; sub(/:$/, "", w); dl[$3" "w]=r[1]}
     $1=="data" && $3=="pipeline-reduced" {split($0, a, ": "); split(a[2], r, " "); w=$4; sub(/:$/, "", w); ours[$2" "w]=r[1]; dorder[++m]=$2" "w}
     function line(w, mode, peer, what, key) {
       key = peer" "w" "mode
       if (key in ref) printf "ratio %s %s%s %.2f (pytorch %.2f ms, project %.2f ms)\n", w, project_mode, what, ref[key]/mine[w" "project_mode], ref[key], mine[w" "project_mode]
     }
     END {
       for (i = 1; i <= n; i++) {
         split(order[i], p, " "); w = p[1]; project_mode = p[2]
         if (project_mode == "bf16+cl") {
           line(w, "bf16-autocast+cl", "pytorch", " vs autocast")
           line(w, "bf16-model+cl", "pytorch", " vs bf16 model")
           line(w, "bf16+cl", "pytorch", "")                       # logs of the GPU runner before the autocast peer
           line(w, "bf16-autocast+cl+autotune", "pytorch", " vs autocast+autotune")
           line(w, "bf16+cl+autotune", "pytorch", " vs pytorch+autotune")
         } else {
           line(w, project_mode, "pytorch", "")
           line(w, project_mode, "pytorch-glibc-defaults", " vs glibc defaults")
           if (project_mode == "optimizer-fp32") line(w, "optimizer-foreach-fp32", "pytorch", " vs foreach")
           line(w, project_mode "+autotune", "pytorch", " vs pytorch+autotune")
         }
       }
       for (i = 1; i <= q; i++) {
         k = eorder[i]
         if (k in eref) { split(k, p, " "); printf "ratio epoch %s %s %s batches %.2f (pytorch %.2f s, project %.2f s per epoch from JPEG; %.3f and %.3f s per batch)\n", p[1], p[2], p[3], eref[k]/emine[k], eref[k], emine[k], eref[k]/p[3], emine[k]/p[3] }
       }
       for (i = 1; i <= g; i++) {
         k = gorder[i]
         if (k in gref) { split(k, p, " "); printf "ratio growth %s %s batch %s %.2f (pytorch %.2f, project %.2f ms per image)\n", p[1], p[2], p[3], gref[k]/gmine[k], gref[k], gmine[k] }
       }
       for (i = 1; i <= nph; i++) {
         k = porder[i]
         if (k in pph) {
           split(pph[k], a, " "); split(mph[k], b, " "); split(k, p, " "); sub(/-phases$/, "", p[2])
           printf "phases %s %s (pytorch / project ms):", p[1], p[2]
           for (j = 4; j <= 12; j += 2) printf " %s %s / %s%s", a[j], a[j+1], b[j+1], (j < 12 ? "," : "\n")
         }
       }
       for (i = 1; i <= m; i++) {
         k = dorder[i]
         if (k in dl) { split(k, p, " "); printf "ratio data %s loader %s %.2f (project %.0f img/s, pytorch DataLoader %.0f img/s)\n", p[1], p[2], ours[k]/dl[k], ours[k], dl[k] }
       }
     }' "$1"
grep -E "^project (epoch-ratio|memory-ratio|live-tensor-handles)" "$1" || true
