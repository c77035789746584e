#!/usr/bin/env bash
# Debian's PyTorch and torchvision (CPU, torch 1.13 at /usr/bin/python3): the interop tests rebuild exported models and
# train them on under torchrun with them (pytorch/).
set -euo pipefail
if ! /usr/bin/python3 -c "import torch, torchvision, PIL" 2>/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-torch python3-torchvision python3-pil >/dev/null
  else
    echo "install PyTorch: sudo apt-get install python3-torch python3-torchvision python3-pil" >&2
    exit 1
  fi
fi
