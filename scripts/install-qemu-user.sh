#!/usr/bin/env bash
# Installs what the CPU-model test uses, when missing: Debian's qemu-user (qemu-x86_64, which
# runs skm's own binary on an emulated x86-64 CPU of another model: the baseline without AVX2,
# an AMD EPYC's features). Idempotent. Needs root (or sudo) and the Debian package registry.
set -euo pipefail
if command -v qemu-x86_64 >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends qemu-user >/dev/null
command -v qemu-x86_64
