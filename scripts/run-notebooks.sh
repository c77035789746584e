#!/usr/bin/env bash
# The main job: packs the package from this checkout and executes the notebooks with Jupyter's own client
# (nbconvert/nbclient, kernel .net-csharp), which saves each display in its final state. Writes the executed notebooks,
# an HTML rendering of each and a log to output/ (or $1); prints each notebook's key results and the wall time; exits
# non-zero if any cell failed.
#   scripts/run-notebooks.sh [OUTPUT_DIR] [NOTEBOOK ...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(realpath -m "${1:-$root/output}")"
shift || true
notebooks=()
for nb in "$@"; do
  [ -f "$nb" ] || { echo "no such notebook: $nb" >&2; exit 2; }
  notebooks+=("$(realpath "$nb")")
done
[ ${#notebooks[@]} -gt 0 ] || notebooks=("$root"/notebooks/*.ipynb)
started=$(date +%s)

cd "$root"
scripts/install-jupyter-client.sh
dotnet tool restore >/dev/null
scripts/install-jupyter-kernel.sh
version="$(scripts/pack.sh --no-kernel-check)"
echo "packed MultiLabel.Interactive $version into artifacts/packages"
dotnet build src/MultiLabel.Cli -c Release --nologo -v quiet >/dev/null
cli="src/MultiLabel.Cli/bin/Release/net10.0/linux-x64/multilabel.dll"
mkdir -p "$out"
# The notebooks' first cell is what a user writes (#r "nuget: MultiLabel.Interactive, *-*"); the kernel's NuGet
# restore reads this MSBuild property from the environment, so it finds the build just packed.
export RestoreAdditionalProjectSources="$root/artifacts/packages"

failed=0
for nb in "${notebooks[@]}"; do
  name="$(basename "$nb" .ipynb)"
  start=$(date +%s)
  set +e
  rm -f "$out/$name.ipynb" "$out/$name.html"
  # allow_errors: a failing cell is saved with its error (and reported below) instead of leaving no notebook at all.
  jupyter nbconvert --to notebook --execute "$nb" --output-dir "$out" \
    --ExecutePreprocessor.kernel_name=.net-csharp --ExecutePreprocessor.timeout=1800 \
    --ExecutePreprocessor.allow_errors=True > "$out/$name.log" 2>&1
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
    echo "FAILED $name (nbconvert exit $rc, ${secs}s): see $out/$name.log and the errors in $out/$name.html"
  else
    failed=1
    echo "FAILED $name (nbconvert exit $rc, ${secs}s, no notebook written): see $out/$name.log"
  fi
done
echo "wall time: $(( $(date +%s) - started ))s"
exit $failed
