#!/usr/bin/env bash
# Builds the documentation site (guides in docs/ and the API reference from the XML comments) with DocFX, pinned in
# dotnet-tools.json, offline, warnings as errors, into artifacts/docs (open artifacts/docs/index.html, or serve the
# folder for the search box).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
dotnet docfx docs/docfx.json --warningsAsErrors
echo "site: $(pwd)/artifacts/docs/index.html"
