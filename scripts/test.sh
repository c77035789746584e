#!/usr/bin/env bash
# The test command: installs what the tests need (the pinned dotnet tools), then runs every test project.
#   scripts/test.sh           everything (CI)
#   scripts/test.sh --fast    the engine and in-process kernel tests without the slow tier (Trait Tier=Slow: training
#                             quality, GC stress, PyTorch round trip) and without the packed-package tests: a few minutes
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--fast" ]; then
  shift
  dotnet tool restore >/dev/null
  dotnet build MultiLabel.Interactive.sln --nologo -v q
  # The two projects side by side, one libtorch thread each: the fast tier trains only tiny models, which gain little
  # from a second thread, and runs no notebook (whose figures depend on the thread count).
  logs=artifacts/test-logs/fast
  mkdir -p "$logs"
  SECONDS=0
  pids=()
  for project in tests/MultiLabel.Vision.Tests tests/MultiLabel.Interactive.Tests; do
    OMP_NUM_THREADS=1 dotnet test "$project" --no-build --nologo --filter "Tier!=Slow" "$@" >"$logs/$(basename "$project").log" 2>&1 &
    pids+=($!)
  done
  failed=0
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  for log in "$logs"/*.log; do
    if grep -q -E "^Passed!" "$log"; then grep -h -E "^Passed!" "$log"; else cat "$log"; fi
  done
  echo "fast tier: $((SECONDS / 60)) min $((SECONDS % 60)) s after the build"
  exit $failed
fi
dotnet tool restore
# Jupyter's own client (Debian's nbconvert, nbclient, jupyter_client) and the .NET kernelspecs.
scripts/install-jupyter-client.sh
scripts/install-jupyter-kernel.sh
# Debian's PyTorch for the way out to PyTorch and back (pytorch/ scripts, torchrun).
scripts/install-pytorch.sh
# Browser tests use Debian's chromium (Playwright drives it; no browser download).
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; else echo "install chromium (sudo apt-get install chromium) for the browser tests" >&2; fi
fi
# The saved notebooks are opened in Debian's classic Jupyter Notebook 6.4 (a real front end, untrusted and trusted).
if ! /usr/bin/python3 -c "import notebook" 2>/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-notebook >/dev/null; else echo "install Jupyter Notebook (sudo apt-get install python3-notebook) for the front-end tests" >&2; fi
fi
# Built once, then each test project in turn, its log kept under artifacts/test-logs. Not side by side: on 2 cores two
# processes that both train (the package tier's chapter notebooks, the engine's training tests) fight over libtorch's
# OpenMP threads, and the notebooks ran more than six times slower than alone (the chapter run passed its 25-minute
# limit); with one thread per process the whole suite took 22.5 min instead of 24.5, and 06b's epoch table changed
# (libtorch's reductions depend on the thread count), so the notebooks would no longer be tested as readers run them.
dotnet build MultiLabel.Interactive.sln --nologo -v q
logs=artifacts/test-logs
mkdir -p "$logs"
rm -f "$logs"/*.log
SECONDS=0
failed=0
for project in tests/MultiLabel.Vision.Tests tests/MultiLabel.Interactive.Tests tests/MultiLabel.Interactive.PackageTests; do
  dotnet test "$project" --no-build --nologo "$@" 2>&1 | tee "$logs/$(basename "$project").log" || failed=1
done
grep -h -E "^(Passed|Failed)!" "$logs"/*.log || true
echo "whole suite: $((SECONDS / 60)) min $((SECONDS % 60)) s after the build"
exit $failed
