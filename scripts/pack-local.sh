#!/usr/bin/env bash
# Packs MultiLabel.Native, MultiLabel.Vision, MultiLabel.Views and MultiLabel.Interactive into artifacts/packages with a fresh version
# (the kernel caches a package by version, so every local build gets its own) and prints that version.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${MULTILABEL_VERSION:-0.1.0-local.$(date -u +%Y%m%d%H%M%S)}"
mkdir -p artifacts/packages
for project in src/MultiLabel.Native src/MultiLabel.Vision src/MultiLabel.Views src/MultiLabel.Interactive; do
  dotnet pack "$project" -c Release -o artifacts/packages -p:Version="$version" --nologo -v quiet >&2
done
echo "$version"
