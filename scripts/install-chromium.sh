#!/usr/bin/env bash
# Installs what the browser tests use, when missing: Debian's Chromium (headless browser for the
# HTML reports and their print to PDF) and poppler-utils (pdftoppm, pdftotext, pdfinfo: the
# printed PDF read back page by page). Idempotent. Needs root (or sudo) and the Debian package
# registry.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium fonts-dejavu-core)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
if [ "${#need[@]}" -eq 0 ]; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
command -v chromium
command -v pdftoppm
