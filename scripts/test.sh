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
  for project in tests/MultiLabel.Vision.Tests tests/MultiLabel.Interactive.Tests; do
    dotnet test "$project" --nologo --filter "Tier!=Slow" "$@"
  done
  exit 0
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
# Built once, then tested side by side: the package tier (packing, restoring into kernels, Jupyter, browsers: much of it
# waiting) beside the engine and in-process kernel tests, which run one after the other. `dotnet test` on the solution
# gave the package tier and the engine tests the same build node, so they ran one after the other (48.7 min on a 2-core
# AVX2 VM). Each line is prefixed with its tier; both logs are also kept under artifacts/test-logs.
dotnet build MultiLabel.Interactive.sln --nologo -v q
logs=artifacts/test-logs
mkdir -p "$logs"
tier() { # name, then the projects to test in turn
  local name=$1 status=0; shift
  for project in "$@"; do
    dotnet test "$project" --no-build --nologo "${extra[@]}" 2>&1 | tee -a "$logs/$name.log" | sed -u "s/^/[$name] /" || status=1
  done
  return $status
}
extra=("$@")
rm -f "$logs"/*.log
SECONDS=0
tier package tests/MultiLabel.Interactive.PackageTests & package=$!
tier engine tests/MultiLabel.Vision.Tests tests/MultiLabel.Interactive.Tests & engine=$!
failed=0
wait $package || failed=1
wait $engine || failed=1
grep -h -E "^(Passed|Failed)!" "$logs"/*.log || true
echo "whole suite: $((SECONDS / 60)) min $((SECONDS % 60)) s after the build"
exit $failed
