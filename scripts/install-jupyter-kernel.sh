#!/usr/bin/env bash
# Installs the .NET Interactive Jupyter kernelspecs (.net-csharp, .net-fsharp, .net-pwsh) so that the kernel starts from
# any folder, not only inside this clone: the pinned dotnet-interactive (dotnet-tools.json) goes into its own tool folder
# under the user's data directory, and each kernelspec runs it by absolute path (upstream's `dotnet interactive jupyter
# install` writes `dotnet interactive …`, which resolves only where a tool manifest or a global tool provides it).
# Idempotent; JUPYTER_DATA_DIR and XDG_DATA_HOME move the folders as usual.
set -euo pipefail
cd "$(dirname "$0")/.."
version="$(python3 -c 'import json; print(json.load(open("dotnet-tools.json"))["tools"]["microsoft.dotnet-interactive"]["version"])')"
tools="${XDG_DATA_HOME:-$HOME/.local/share}/multilabel/dotnet-interactive/$version"
app="$tools/dotnet-interactive"
kernels="${JUPYTER_DATA_DIR:-$HOME/.local/share/jupyter}/kernels"
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
if [ ! -x "$app" ]; then
  dotnet tool install microsoft.dotnet-interactive --version "$version" --tool-path "$tools" >/dev/null
fi
if ! grep -qF "\"$app\"" "$kernels/.net-csharp/kernel.json" 2>/dev/null; then
  mkdir -p "$kernels"
  DOTNET_ROOT="$dotnet_root" "$app" jupyter install >/dev/null
  # Point every .NET kernelspec at the tool by absolute path, with the runtime it needs.
  APP="$app" DOTNET_ROOT_DIR="$dotnet_root" KERNELS="$kernels" python3 - <<'PY'
import json, os, pathlib
app, root = os.environ["APP"], os.environ["DOTNET_ROOT_DIR"]
for spec in pathlib.Path(os.environ["KERNELS"]).glob(".net-*/kernel.json"):
    kernel = json.loads(spec.read_text())
    argv = kernel["argv"]
    if argv[:2] == ["dotnet", "interactive"]:
        argv = [app] + argv[2:]
    elif argv[:1] != [app]:
        continue
    kernel["argv"] = argv
    kernel.setdefault("env", {})["DOTNET_ROOT"] = root
    spec.write_text(json.dumps(kernel, indent=2) + "\n")
PY
fi
echo "kernelspecs in $kernels run $app"
