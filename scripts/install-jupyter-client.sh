#!/usr/bin/env bash
# Jupyter's own client from Debian: nbconvert/nbclient (executes notebooks) and jupyter_client (interrupt tests).
set -euo pipefail
if ! /usr/bin/python3 -c "import nbclient, jupyter_client" 2>/dev/null || ! command -v jupyter-nbconvert >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jupyter-nbconvert python3-nbclient python3-jupyter-client >/dev/null
  else
    echo "install Jupyter's client: sudo apt-get install jupyter-nbconvert python3-nbclient python3-jupyter-client" >&2
    exit 1
  fi
fi
