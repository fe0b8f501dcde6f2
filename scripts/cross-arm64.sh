#!/usr/bin/env bash
# Cross-builds Signpost for arm64 (Raspberry Pi 4/5, 64-bit Raspberry Pi OS
# Bookworm or Debian 12 arm64) on a Debian 12 amd64 machine and runs the
# unit tests under qemu-user. Prints how long each step took.
#
#   scripts/cross-arm64.sh             install what is missing, configure,
#                                      build, test
#   scripts/cross-arm64.sh --no-test   stop after the build
#   scripts/cross-arm64.sh --no-deps   do not run deploy/install-deps.sh --arm64
#   scripts/cross-arm64.sh --ci        what CI runs: build the three programs
#                                      (not the test binaries) and run each
#                                      under qemu-user on the sample catalogue:
#                                      load it, search it as JSON, render the
#                                      kiosk's Home headless to a PNG, and
#                                      validate a real Find a course payload
#                                      with content-sync. The
#                                      whole arm64 test run (this script with
#                                      no option, ~6 minutes of tests after a
#                                      ~14-minute build) is too long for CI's
#                                      hour; its figures are in README.md.
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

deps=1 test=1 smoke=0
while (($#)); do
  case $1 in
    --no-test) test=0 ;;
    --ci) test=0 smoke=1 ;;
    --no-deps) deps=0 ;;
    -h | --help) sed -n '2,42p' "$0"; exit 0 ;;
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
programs=(signpost-kiosk content-sync signpost-catalogue)
if ((smoke)); then
  timed build cmake --build --preset arm64 -j "$jobs" --target "${programs[@]}"
else
  timed build cmake --build --preset arm64 -j "$jobs"
fi

kiosk=build/arm64/kiosk/signpost-kiosk
for bin in build/arm64/content-sync/content-sync "$kiosk" build/arm64/catalogue/signpost-catalogue; do
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
if ((smoke)); then
  # The three programs under qemu-user, started through qemu-aarch64-static
  # (no binfmt_misc needed), each asked for real work with checked output.
  smoke_dir=$(mktemp -d)
  trap 'rm -rf "$smoke_dir"' EXIT
  q=qemu-aarch64-static
  smoke() {
    local db=$smoke_dir/catalogue.db out
    $q build/arm64/catalogue/signpost-catalogue --catalogue "$db" load-sample >/dev/null
    out=$($q build/arm64/catalogue/signpost-catalogue --catalogue "$db" search nurse --json)
    for kind in '"kind"' 'nurs'; do
      if [[ $out != *$kind* ]]; then
        echo "cross-arm64: 'search nurse --json' under qemu has no $kind: ${out:0:300}" >&2
        return 1
      fi
    done
    $q "$kiosk" --headless --config board-config/demo-kiosk.toml --catalogue "$db" \
      --screenshot "$smoke_dir/home.png"
    # A rendered Home is tens of KB of PNG; a blank frame compresses to ~1 KB.
    local size
    size=$(stat -c %s "$smoke_dir/home.png")
    if ((size < 20000)); then
      echo "cross-arm64: the kiosk's Home under qemu is only ${size} bytes of PNG (blank?)" >&2
      return 1
    fi
    echo "kiosk Home rendered under qemu: ${size} bytes of PNG"
    # content-sync parses a real publisher payload (CI has ../shared beside
    # the checkout); --help where it does not.
    local sample=../shared/feeds/samples/find-a-course/get-help-to-retrain_search_response.json
    if [[ -r $sample ]]; then
      out=$($q build/arm64/content-sync/content-sync validate --kind find-a-course "$sample")
      echo "$out" | head -n 3
      if ! grep -Eq '^  opportunities: [1-9]' <<<"$out"; then
        echo "cross-arm64: content-sync validate under qemu printed no courses" >&2
        return 1
      fi
    else
      $q build/arm64/content-sync/content-sync --help >/dev/null
    fi
  }
  timed smoke smoke
fi
report
