#!/usr/bin/env bash
# Every test: the C++ suite under AddressSanitizer + UndefinedBehaviorSanitizer (ctest),
# then the JS suites through the built package (node:test). Run by `npm test` after set-up.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${BALLAST_JOBS:-$(nproc)}

if [ ! -f build/sanitize/CMakeCache.txt ]; then
  cmake -S . -B build/sanitize -DCMAKE_BUILD_TYPE=Debug -DBALLAST_SANITIZE=ON >/dev/null
fi
echo "[test] building C++ tests with ASan + UBSan"
cmake --build build/sanitize -j "$JOBS" | grep -E "error|warning|Error" || true
test "${PIPESTATUS[0]}" -eq 0
(cd build/sanitize && ctest --output-on-failure -j "$JOBS")

echo "[test] JS tests"
# Every *.test.mjs under tests/js, tests/chain, tests/web and tests/package (node:test on
# Node 20 takes no globs of its own; folders that do not exist yet are skipped).
shopt -s nullglob
node --test --test-concurrency=1 tests/js/*.test.mjs tests/chain/*.test.mjs tests/web/*.test.mjs tests/package/*.test.mjs
