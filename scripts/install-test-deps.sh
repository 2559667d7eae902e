#!/usr/bin/env bash
# Installs the Debian packages the tests drive for real, when they are missing: Chromium (browser tests) and
# PrusaSlicer (exact-mode pricing). Safe to run again; does nothing when everything is there.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v prusa-slicer >/dev/null 2>&1 || need+=(prusa-slicer)
command -v admesh >/dev/null 2>&1 || need+=(admesh)
[ ${#need[@]} -eq 0 ] && exit 0

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "Need root (or sudo) to install: ${need[*]}" >&2; exit 1; }
  as_root=(sudo)
fi
echo "Installing ${need[*]} from Debian..."
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
