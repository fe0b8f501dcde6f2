#!/usr/bin/env bash
# Builds and runs the whole test suite, installing missing Debian packages first.
#
#   scripts/run-tests.sh          developer build (preset "dev"), every test
#   scripts/run-tests.sh --all    what CI runs: the warnings-as-errors build ("ci"),
#                                 the ASan+UBSan build ("asan"), a short fuzz run,
#                                 the arm64 cross build of the programs, each
#                                 run under qemu-user (scripts/cross-arm64.sh
#                                 --ci; the whole arm64 test run is that script
#                                 with no option), and, as root, the
#                                 deployment tests (tests/deploy/run-all.sh),
#                                 the metrics test (tests/deploy/test-metrics.sh)
#                                 and the image's QEMU tests
#                                 (tests/image/run-ci.sh --ci)
set -euo pipefail
cd "$(dirname "$0")/.."
# Each stage line says how long the run has taken so far (CI's hour is tight).
stage() { printf '== [%dm%02ds] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }

bash deploy/install-deps.sh

presets=(dev)
fuzz_seconds=0
if [[ "${1:-}" == "--all" ]]; then
  presets=(ci asan)
  fuzz_seconds=${SIGNPOST_FUZZ_SECONDS:-10}
fi

if [[ "${1:-}" == "--all" ]]; then
  stage "format: clang-format --dry-run on every tracked C++ file"
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
  stage "build: ${preset}"
  cmake --preset "${preset}" >/dev/null
  cmake --build --preset "${preset}" -j "${jobs}"
  stage "test: ${preset}"
  ctest --preset "${preset}" -j "${jobs}"
done

if ((fuzz_seconds > 0)) && [[ -x content-sync/fuzz/run-fuzzers.sh ]]; then
  stage "fuzz: ${fuzz_seconds}s per parser"
  content-sync/fuzz/run-fuzzers.sh "${fuzz_seconds}"
fi

if [[ "${1:-}" == "--all" ]]; then
  stage "arm64: cross build of the programs, each run under qemu-user"
  scripts/cross-arm64.sh --ci
  if [[ $(id -u) -eq 0 ]]; then
    # The deploy, metrics and image tests use the ci build's programs, and
    # its .debs (the ci preset installs to /usr; cpack strips them): the
    # very code the unit tests above ran, and no third compile of it.
    export SIGNPOST_BUILD_DIR=$PWD/build/ci
    stage "packages: the ci build's .debs; the x86-64 image built from them in the background"
    bash deploy/install-deps.sh --deploy-tools
    bash deploy/install-deps.sh --image-tools # the metrics test's tools too
    rm -f build/ci/packages/*.deb
    (cd build/ci && cpack -G DEB >/dev/null)
    # The image build is mostly downloads and package unpacking, as are the
    # deployment tests: they overlap well on 2 cores.
    tests/image/run-ci.sh --ci --build-only >build/image-build.log 2>&1 &
    image_build=$!
    trap 'kill "$image_build" 2>/dev/null || true' EXIT
    stage "deploy: .debs, provisioning, Ansible and a systemd boot, in throwaway Debian roots"
    tests/deploy/run-all.sh --no-build
    stage "metrics: signpost-metrics scraped by a real node exporter + Prometheus on 127.0.0.1 (~1 min)"
    tests/deploy/test-metrics.sh
    stage "image: waiting for its build (log below)"
    image_rc=0
    wait "$image_build" || image_rc=$?
    trap - EXIT
    cat build/image-build.log
    ((image_rc == 0)) || exit "$image_rc"
    stage "image: booted under QEMU: first boot, power cuts, a broken signpost.toml, signpost-doctor (~6 min)"
    tests/image/run-ci.sh --ci --test-only
  else
    stage "deploy: SKIPPED: tests/deploy/run-all.sh needs root (debootstrap, chroot,"
    echo "   systemd-nspawn); run it with sudo"
  fi
fi
stage "done: every stage passed"
