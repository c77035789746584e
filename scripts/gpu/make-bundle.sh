#!/usr/bin/env bash
# Builds device-bundle/ (git-ignored): the multilabel tool and the dataset generator published without the CPU libtorch, the GPU scripts, and a packed
# .NET runtime, for a GPU machine that has PyTorch but no .NET. Its scripts then run against torch/lib.
set -euo pipefail
cd "$(dirname "$0")/../.."
rm -rf device-bundle && mkdir -p device-bundle
dotnet publish src/MultiLabel.Cli -c Release -p:WithCpuLibTorch=false -o device-bundle/app --nologo -v quiet
dotnet publish src/MultiLabel.Datasets -c Release -r linux-x64 --self-contained false -o device-bundle/datasets --nologo -v quiet
# the generator needs no native library (it only draws and writes JPEGs with ImageSharp)
rm -f device-bundle/datasets/*.pdb device-bundle/datasets/*.xml device-bundle/datasets/*.so device-bundle/datasets/*.so.*
cp scripts/gpu/*.sh scripts/gpu/pytorch_reference.py pytorch/multilabel_model.py device-bundle/
rm -f device-bundle/app/*.pdb device-bundle/app/*.xml
root=$(dirname "$(readlink -f "$(command -v dotnet)")")
ver=$(dotnet --list-runtimes | awk '/^Microsoft.NETCore.App /{v=$2} END{print v}')
tmp=$(mktemp -d)
mkdir -p "$tmp/shared/Microsoft.NETCore.App"
cp -a "$root/dotnet" "$root/host" "$tmp/"
cp -a "$root/shared/Microsoft.NETCore.App/$ver" "$tmp/shared/Microsoft.NETCore.App/"
tar -cJf device-bundle/dotnet-runtime.tar.xz -C "$tmp" .
rm -rf "$tmp"
du -sh device-bundle/*
