#!/usr/bin/env bash
# Runs before `npm start` and `npm test` so both work on a fresh machine: installs the npm
# packages when they are missing, and the Debian packages Portico runs on (as root, with
# apt-get) or says exactly which command to run.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "portico: installing npm packages (npm ci) ..."
  npm ci --no-fund --no-audit
fi

packages=(redis-server nginx-light libnginx-mod-stream libnginx-mod-http-js libnginx-mod-stream-js)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "portico: installing Debian packages: ${missing[*]} ..."
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "portico: missing Debian packages: ${missing[*]}" >&2
    echo "portico: install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

if ! command -v kubectl >/dev/null; then
  echo "portico: kubectl is not on PATH; Portico is driven with kubectl (1.32)." >&2
  exit 1
fi
