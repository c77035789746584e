#!/usr/bin/env bash
# The test command: installs what the tests need (the pinned dotnet tools), then runs every test project.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore
dotnet test MultiLabel.Interactive.sln --nologo "$@"
