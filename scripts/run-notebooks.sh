#!/usr/bin/env bash
# The main job: packs the package from this checkout, then executes the notebooks with the real kernel
# (dotnet-repl) and writes the executed notebooks to output/ (or $1). Exits non-zero if any cell failed.
#   scripts/run-notebooks.sh [OUTPUT_DIR] [NOTEBOOK ...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(realpath -m "${1:-$root/output}")"
shift || true
notebooks=("$@")
[ ${#notebooks[@]} -gt 0 ] || notebooks=("$root"/notebooks/*.ipynb)

cd "$root"
dotnet tool restore >/dev/null
version="$(scripts/pack-local.sh)"
echo "packed MultiLabel.Interactive $version into artifacts/packages"
mkdir -p "$out"

failed=0
for nb in "${notebooks[@]}"; do
  name="$(basename "$nb")"
  start=$(date +%s)
  set +e
  (cd "$(dirname "$nb")" && dotnet repl --run "$(realpath "$nb")" --exit-after-run --output-path "$out/$name") > "$out/${name%.ipynb}.log" 2>&1
  rc=$?
  set -e
  secs=$(( $(date +%s) - start ))
  if [ $rc -eq 0 ]; then
    echo "ok     $name (${secs}s) -> $out/$name"
  else
    failed=1
    echo "FAILED $name (exit $rc, ${secs}s): see $out/${name%.ipynb}.log and the error outputs in $out/$name"
  fi
done
exit $failed
