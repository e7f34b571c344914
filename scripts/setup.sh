#!/usr/bin/env bash
# One set-up for `npm start`, `npm test` and `npm run bench`: installs what is missing
# (Debian packages, npm dependencies), then builds the native engine, the WASM package and the
# web app (dist/web).
# Every step checks first and does nothing when its work is already done, so a second run
# takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(cmake g++ make emscripten binaryen libeigen3-dev nlohmann-json3-dev catch2 chromium)
JOBS=${BALLAST_JOBS:-$(nproc)}

log() { printf '[setup] %s\n' "$*"; }

install_debian_packages() {
  local missing=()
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return
  log "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_npm_dependencies() {
  # npm ci writes node_modules/.package-lock.json; when it matches the lock file, skip.
  if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
    return
  fi
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
}

build_native() {
  if [ ! -f build/native/CMakeCache.txt ]; then
    cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release -DBALLAST_BUILD_TESTS=ON >/dev/null
  fi
  log "building native engine"
  cmake --build build/native -j "$JOBS" | grep -E "error|warning|Error" || true
  test "${PIPESTATUS[0]}" -eq 0
}

build_wasm() {
  # Debian's emscripten needs Debian's node-acorn on NODE_PATH (notes/toolchain.md).
  export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
  if [ ! -f build/wasm/CMakeCache.txt ]; then
    emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_FIND_ROOT_PATH_MODE_PACKAGE=BOTH >/dev/null
  fi
  log "building WASM package"
  cmake --build build/wasm -j "$JOBS" | grep -E "error|warning|Error" || true
  test "${PIPESTATUS[0]}" -eq 0
}

build_web() {
  # Vite builds web/ into dist/web (web/vite.config.js); skipped when nothing it reads is newer
  # than the last build.
  local stamp=dist/web/index.html
  if [ -f "$stamp" ] && [ -z "$(find web bindings/js dist/wasm package-lock.json -newer "$stamp" -type f -print -quit)" ]; then
    return
  fi
  log "building web app (dist/web)"
  node node_modules/vite/bin/vite.js build --config web/vite.config.js
}

install_debian_packages
install_npm_dependencies
build_native
build_wasm
build_web
log "ready"
