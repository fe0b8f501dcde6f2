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

if [[ "${1:-}" == "--all" ]]; then
  echo "== format: clang-format --dry-run on every tracked C++ file"
  unformatted=()
  while IFS= read -r f; do
    clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || unformatted+=("$f")
  done < <(git ls-files '*.cpp' '*.h' 2>/dev/null || true)
  if ((${#unformatted[@]} > 0)); then
    echo "not clang-formatted (run clang-format -i): ${unformatted[*]}" >&2
    exit 1
  fi
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
