#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the builder needs, only those missing.
#   scripts/install-system-packages.sh report   fonts (and python3-venv if needed)
#   scripts/install-system-packages.sh test     + the clients the tests check outputs with
set -euo pipefail

packages=(fonts-noto-cjk fonts-liberation2)
if [ "${1:-report}" = test ]; then
  packages+=(poppler-utils qpdf libreoffice-writer-nogui python3-uno)
fi
python3 -m venv --help >/dev/null 2>&1 && python3 -c 'import ensurepip' 2>/dev/null || packages+=(python3-venv)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "error: install these packages with your system's package manager: ${missing[*]}" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "Installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
