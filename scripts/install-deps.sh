#!/usr/bin/env bash
# Installs the Debian packages mnn needs, skipping what is already there.
# Run as root (or with sudo available) on Debian 12.
set -euo pipefail
packages=(build-essential cmake pkg-config petsc-dev libgmsh-dev libxml2-dev libxml2-utils
          libadmesh-dev admesh libsuitesparse-dev libopenblas0-serial gnuplot-nox)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "mnn: all Debian packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "mnn: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
