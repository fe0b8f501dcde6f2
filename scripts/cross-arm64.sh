#!/usr/bin/env bash
# Cross-builds Signpost for arm64 (Raspberry Pi 4/5, 64-bit Raspberry Pi OS
# Bookworm or Debian 12 arm64) on a Debian 12 amd64 machine and runs the
# unit tests under qemu-user. Prints how long each step took.
#
#   scripts/cross-arm64.sh             install what is missing, configure,
#                                      build, test
#   scripts/cross-arm64.sh --no-test   stop after the build
#   scripts/cross-arm64.sh --no-deps   do not run deploy/install-deps.sh --arm64
#
# The build is the `arm64` preset (build/arm64; toolchain file
# cmake/toolchains/aarch64-linux-gnu.cmake): Debian's crossbuild-essential-arm64
# and the :arm64 -dev packages, installed beside the amd64 ones (multiarch).
# ctest runs every arm64 test binary under qemu-aarch64-static.
#
# Tests left out here, and why (the same tests run natively in
# scripts/run-tests.sh):
#   deploy_units   checks the deployment files with the build machine's
#                  systemd-analyze and shellcheck; not about the arm64 code
#   CliTest.* of catalogue_cli_test, KillTest.*
#                  start the arm64 signpost-catalogue / content-sync as child
#                  processes. The kernel can only run those through qemu when
#                  qemu-aarch64 is registered with binfmt_misc (qemu-user-static
#                  does that on a normal machine; a container usually cannot),
#                  so they are left out only when it is not registered.
# The kiosk's monkey test runs 2,000 random events here instead of 20,000
# (SIGNPOST_MONKEY_EVENTS): the same code, ~15x slower under emulation.
# A failed test is run once more (ctest --repeat until-pass:2): under
# emulation on a busy machine a TLS handshake can outlast the HTTP tests'
# 2 s connect timeout. A failure that is really there fails both times.
#
# Environment: SIGNPOST_JOBS (default: nproc).
set -euo pipefail
cd "$(dirname "$0")/.."

deps=1 test=1
while (($#)); do
  case $1 in
    --no-test) test=0 ;;
    --no-deps) deps=0 ;;
    -h | --help) sed -n '2,32p' "$0"; exit 0 ;;
    *) echo "cross-arm64: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
jobs=${SIGNPOST_JOBS:-$(nproc)}

timings=()
timed() { # timed NAME CMD...: runs CMD, records how long it took
  local name=$1 t0 t1 rc=0
  shift
  echo "== ${name}"
  t0=$(date +%s)
  "$@" || rc=$?
  t1=$(date +%s)
  timings+=("$(printf '%-10s %4d s' "$name" $((t1 - t0)))")
  if ((rc)); then
    echo "cross-arm64: ${name} failed (exit ${rc})" >&2
    report
    exit "$rc"
  fi
}
report() {
  echo "== times (${jobs} jobs)"
  printf '  %s\n' "${timings[@]}"
}

if ((deps)); then timed deps bash deploy/install-deps.sh --arm64; fi
timed configure cmake --preset arm64
timed build cmake --build --preset arm64 -j "$jobs"

kiosk=build/arm64/kiosk/signpost-kiosk
for bin in build/arm64/content-sync/content-sync "$kiosk"; do
  [[ -x $bin ]] || continue
  desc=$(file -b "$bin")
  echo "$bin: ${desc%%, BuildID*}"
  if [[ $desc != *"ARM aarch64"* ]]; then
    echo "cross-arm64: $bin is not an arm64 program" >&2
    exit 1
  fi
done

if ((test)); then
  # The hostile-server suite runs the real binary against 60 MB bodies and
  # bombs: minutes under emulation, and nothing in it depends on the CPU
  # (the ci and asan builds run it natively). MemoryTest.* measures the
  # peak RSS of content-sync: under qemu-user that would be qemu's memory.
  # KioskIdleTest starts the host's Xvfb and needs the arm64 X11 client
  # libraries under qemu; the frame loop it checks is the same code the
  # amd64 ci and asan runs test.
  # The layout audits render every screen at 4 sizes x 3 text sizes (1-2
  # minutes natively, many under emulation): layout arithmetic, the same on
  # every CPU, which the ci and asan runs check.
  exclude='^deploy_units$|^HostileTest\.|^MemoryTest\.|^KioskIdleTest\.|LayoutAuditTest\.'
  binfmt=/proc/sys/fs/binfmt_misc/qemu-aarch64
  if [[ -r $binfmt ]] && head -n1 "$binfmt" | grep -qx enabled; then
    echo "qemu-aarch64 is registered with binfmt_misc: tests that start arm64 programs run too"
  else
    # The catalogue CLI's suite is called CliTest, like content-sync's
    # in-process CLI tests (which run fine): ask its binary for its names.
    cli=$(qemu-aarch64-static build/arm64/tests/catalogue/catalogue_cli_test --gtest_list_tests 2>/dev/null |
      awk '/^[^ ]/ { suite = $1; next } { print suite $1 }' || true)
    # Every test that starts one of our own (arm64) programs: the kill test,
    # content-sync's printed-output test, the kiosk's production-flag tests.
    exclude+='|^KillTest\.|^ContentSyncOutputTest\.|^KioskProductionFlagsTest\.'
    for t in $cli; do exclude+="|^${t//./\\.}\$"; done
    echo "qemu-aarch64 is not registered with binfmt_misc here: leaving out the tests that start"
    echo "arm64 programs (KillTest.*, ContentSyncOutputTest.*, KioskProductionFlagsTest.*,"
    echo "the catalogue CLI's CliTest.*)"
  fi
  timed test env SIGNPOST_MONKEY_EVENTS="${SIGNPOST_MONKEY_EVENTS:-2000}" \
    ctest --preset arm64 -j "$jobs" --repeat until-pass:2 -E "$exclude"
fi
report
