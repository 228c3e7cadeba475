#!/usr/bin/env bash
# Checks the system packages Manim needs and installs the missing ones when run as root.
# Fast when everything is present (a few `command -v` and `pkg-config` calls), so
# `make setup` stays a no-op in well under two seconds.
set -euo pipefail

missing=()
pkg-config --version >/dev/null 2>&1 || missing+=(pkg-config)
pkg-config --exists cairo 2>/dev/null || missing+=(libcairo2-dev)
pkg-config --exists pangocairo 2>/dev/null || missing+=(libpango1.0-dev)
command -v latex >/dev/null 2>&1 || missing+=(texlive-latex-base)
command -v dvisvgm >/dev/null 2>&1 || missing+=(dvisvgm)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages for Manim. Install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
