#!/usr/bin/env bash
# The main job: packs the package from this checkout, executes the notebooks with the real kernel (dotnet-repl),
# and writes the executed notebooks and an HTML rendering of each to output/ (or $1). Prints each notebook's key
# results and the wall time; exits non-zero if any cell failed.
#   scripts/run-notebooks.sh [OUTPUT_DIR] [NOTEBOOK ...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(realpath -m "${1:-$root/output}")"
shift || true
notebooks=()
for nb in "$@"; do
  [ -f "$nb" ] || { echo "no such notebook: $nb" >&2; exit 2; }
  notebooks+=("$(realpath "$nb")") # the loop changes directory per notebook
done
[ ${#notebooks[@]} -gt 0 ] || notebooks=("$root"/notebooks/*.ipynb)
started=$(date +%s)

cd "$root"
dotnet tool restore >/dev/null
version="$(scripts/pack-local.sh)"
echo "packed MultiLabel.Interactive $version into artifacts/packages"
dotnet build src/MultiLabel.Cli -c Release --nologo -v quiet >/dev/null
cli="src/MultiLabel.Cli/bin/Release/net10.0/linux-x64/multilabel.dll"
mkdir -p "$out"

failed=0
for nb in "${notebooks[@]}"; do
  name="$(basename "$nb" .ipynb)"
  start=$(date +%s)
  set +e
  rm -f "$out/$name.ipynb" "$out/$name.html"
  (cd "$(dirname "$nb")" && dotnet repl --run "$nb" --exit-after-run --output-path "$out/$name.ipynb") > "$out/$name.log" 2>&1
  rc=$?
  render=1
  if [ -f "$out/$name.ipynb" ]; then
    dotnet "$cli" render-notebook "$out/$name.ipynb" "$out/$name.html" | sed "s/^/  /"
    render=${PIPESTATUS[0]}
  fi
  set -e
  secs=$(( $(date +%s) - start ))
  if [ $rc -eq 0 ] && [ "$render" -eq 0 ]; then
    echo "ok     $name (${secs}s) -> $out/$name.ipynb, $out/$name.html"
  elif [ -f "$out/$name.ipynb" ]; then
    failed=1
    echo "FAILED $name (dotnet-repl exit $rc, ${secs}s): see $out/$name.log and the errors in $out/$name.html"
  else
    failed=1
    echo "FAILED $name (dotnet-repl exit $rc, ${secs}s, no notebook written): see $out/$name.log"
  fi
done
echo "wall time: $(( $(date +%s) - started ))s"
exit $failed
