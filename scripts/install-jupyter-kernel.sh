#!/usr/bin/env bash
# Installs the .NET Interactive Jupyter kernelspecs (.net-csharp, ...) from the pinned tool, once per user.
set -euo pipefail
cd "$(dirname "$0")/.."
kernels="${JUPYTER_DATA_DIR:-$HOME/.local/share/jupyter}/kernels"
if [ ! -f "$kernels/.net-csharp/kernel.json" ]; then
  dotnet tool restore >/dev/null
  mkdir -p "$kernels"
  dotnet interactive jupyter install >/dev/null
fi
