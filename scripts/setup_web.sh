#!/usr/bin/env bash
# Installs what the web UI and its browser tests need on Debian 12: Chromium (Debian's
# package; no browser download), Node.js and npm when missing, and web/'s npm packages
# from the committed lockfile. Idempotent; quiet when everything is already there.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup_web: installing ${missing[*]} from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Node 18 (Debian 12's own) is enough for Vite 5 and the tests.
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 18 ]; then
  echo "setup_web: Node.js $major is too old (need 18 or newer)" >&2
  exit 1
fi

cd "$ROOT/web"
# npm ci only when node_modules was not installed from this exact lockfile.
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
have="$(cat node_modules/.entente-lock.sha256 2>/dev/null || true)"
if [ "$want" != "$have" ]; then
  echo "setup_web: npm ci in web/"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  echo "$want" > node_modules/.entente-lock.sha256
fi
