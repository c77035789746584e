#!/usr/bin/env bash
# The test command: installs what the tests need (the pinned dotnet tools), then runs every test project.
#   scripts/test.sh           everything (CI)
#   scripts/test.sh --fast    the engine and in-process kernel tests without the slow tier (Trait Tier=Slow: training
#                             quality, GC stress, PyTorch round trip) and without the packed-package tests: a few minutes
set -euo pipefail
cd "$(dirname "$0")/.."
# Two chains of test projects run side by side, each process with half the cores for libtorch's OpenMP threads: on the
# 2-core VMs the chapter's small batches gain under 10% from a second thread (a scenes fine-tune took 85 s on one thread,
# 78 s on two), while two processes that each spin two OpenMP threads on 2 cores ran over six times slower. A thread count
# set by the caller wins.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(( $(nproc) > 1 ? $(nproc) / 2 : 1 ))}"
logs=artifacts/test-logs
# run_chain NAME PROJECT… : runs the projects in turn with the script's arguments, each into its own log.
run_chain() {
  local name=$1 failed=0; shift
  for project in "$@"; do
    local log="$logs/$(basename "$project").log"
    echo "[$name] $(basename "$project") started ($(date +%T))"
    if dotnet test "$project" --no-build --nologo "${test_args[@]}" >"$log" 2>&1; then :; else failed=1; fi
    echo "[$name] $(basename "$project"): $(grep -h -E "^(Passed|Failed)!" "$log" || echo "no result, see $log")"
  done
  return $failed
}
# run_side_by_side "CHAIN_A_PROJECTS" "CHAIN_B_PROJECTS": both chains at once; prints the log of every failed project.
run_side_by_side() {
  mkdir -p "$logs"
  rm -f "$logs"/*.log
  SECONDS=0
  local a=0 b=0
  run_chain A $1 & local pa=$!
  run_chain B $2 & local pb=$!
  wait $pa || a=1
  wait $pb || b=1
  for log in "$logs"/*.log; do
    grep -q -E "^Passed!" "$log" || { echo "----- $log"; cat "$log"; }
  done
  echo "whole suite: $((SECONDS / 60)) min $((SECONDS % 60)) s after the build (OMP_NUM_THREADS=$OMP_NUM_THREADS per process)"
  return $((a | b))
}
if [ "${1:-}" = "--fast" ]; then
  shift
  test_args=(--filter "Tier!=Slow" "$@")
  dotnet tool restore >/dev/null
  dotnet build MultiLabel.Interactive.sln --nologo -v q
  run_side_by_side tests/MultiLabel.Vision.Tests tests/MultiLabel.Interactive.Tests
  exit $?
fi
test_args=("$@")
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
# Built once; then the engine and in-process kernel tests beside the package tier (the chapter notebooks, apps, Jupyter,
# browsers), each project's log under artifacts/test-logs.
dotnet build MultiLabel.Interactive.sln --nologo -v q
run_side_by_side "tests/MultiLabel.Vision.Tests tests/MultiLabel.Interactive.Tests" tests/MultiLabel.Interactive.PackageTests
