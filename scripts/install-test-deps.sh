#!/usr/bin/env bash
# Installs the Debian packages the tests drive for real, when they are missing: Chromium (browser tests), PrusaSlicer
# (exact-mode pricing), admesh (the pricing benchmark), Prometheus (promtool checks and unit-tests the alert rules; a
# real Prometheus scrapes /metrics), clang (links the native CLI the CLI tests publish) and npm (the build installs the
# Shop's 3D preview library, three.js). Safe to run again; does
# nothing when everything is there.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v prusa-slicer >/dev/null 2>&1 || need+=(prusa-slicer)
command -v admesh >/dev/null 2>&1 || need+=(admesh)
command -v clang >/dev/null 2>&1 || need+=(clang)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
{ command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1; } || need+=(prometheus)
[ ${#need[@]} -eq 0 ] && exit 0

source "$(dirname "$0")/lib.sh"
apt_install "${need[@]}"
