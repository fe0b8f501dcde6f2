#!/usr/bin/env bash
# Builds and runs the whole test suite, installing missing Debian packages first.
#
#   scripts/run-tests.sh          developer build (preset "dev"), every test
#   scripts/run-tests.sh --all    what CI runs: the warnings-as-errors build ("ci"),
#                                 the ASan+UBSan build ("asan"), and a short fuzz run
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/install-deps.sh

presets=(dev)
fuzz_seconds=0
if [[ "${1:-}" == "--all" ]]; then
  presets=(ci asan)
  fuzz_seconds=${SIGNPOST_FUZZ_SECONDS:-10}
fi

jobs=$(nproc)
for preset in "${presets[@]}"; do
  echo "== build: ${preset}"
  cmake --preset "${preset}" >/dev/null
  cmake --build --preset "${preset}" -j "${jobs}"
  echo "== test: ${preset}"
  ctest --preset "${preset}" -j "${jobs}"
done

if ((fuzz_seconds > 0)) && [[ -x content-sync/fuzz/run-fuzzers.sh ]]; then
  echo "== fuzz: ${fuzz_seconds}s per parser"
  content-sync/fuzz/run-fuzzers.sh "${fuzz_seconds}"
fi
