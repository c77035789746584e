#!/usr/bin/env bash
# Runs on a GPU machine that has PyTorch but no .NET, from a bundle made by scripts/make-gpu-bundle.sh:
# device-bundle/{dotnet-runtime.tar.xz, app/}. Proves the libtorch-folder option with PyTorch's CUDA libtorch.
set -uo pipefail
bundle="${1:-$(dirname "$0")}"
dn="${DOTNET_RUNTIME_DIR:-$HOME/dn}"
mkdir -p "$dn" && tar -xJf "$bundle/dotnet-runtime.tar.xz" -C "$dn"
export DOTNET_ROOT="$dn" PATH="$dn:$PATH"
export MULTILABEL_LIBTORCH="${MULTILABEL_LIBTORCH:-$(python3 -c 'import torch,os;print(os.path.join(os.path.dirname(torch.__file__),"lib"))')}"
app="$bundle/app/multilabel.dll"
echo "== info"; dotnet "$app" info
echo "== resnet18 128px batch 64"; dotnet "$app" train-check --arch resnet18 --steps 12 --size 128 --batch 64
echo "== resnet50 128px batch 64"; dotnet "$app" train-check --arch resnet50 --steps 12 --size 128 --batch 64
echo "== a folder without libtorch is refused"; MULTILABEL_LIBTORCH=/tmp dotnet "$app" info; echo "exit $?"
