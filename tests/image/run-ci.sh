#!/usr/bin/env bash
# The image tests as CI runs them (scripts/run-tests.sh --all, as root):
# build the x86-64 image once from the .debs the deploy tests made just
# before (CI: those of build/ci), then boot it under QEMU for every scenario of
# tests/image/test-image.py, and the metrics test against a real
# Prometheus. Prints how long each step took. Nothing is cached between
# runs: mmdebstrap fetches from Debian's archive each time.
#
#   sudo tests/image/run-ci.sh [--ci] [--build-only | --test-only] [--cuts N] [--first-boot-cuts N]
#
# --build-only: only build the image (into build/image); --test-only: only
# boot the one already there. scripts/run-tests.sh --all builds it in the
# background while the deployment tests run, then tests it.
#
# --ci: what CI runs: the image build and every scenario once (the first
# boot with its screendump of Home, one power cut during a sync, one during
# first boot followed by signpost-doctor over the serial console, the
# broken signpost.toml: 6 boots), but not the metrics test, which
# scripts/run-tests.sh --all runs on its own. tests/image/README.md says how
# long each part takes.
set -euo pipefail
cd "$(dirname "$0")/../.."
test_args=() ci=0 build=1 boot=1
for a in "$@"; do
  case $a in
    --ci) ci=1 ;;
    --build-only) boot=0 ;;
    --test-only) build=0 ;;
    *) test_args+=("$a") ;;
  esac
done
t0=$SECONDS
step() { printf '== image: %s (%ds so far)\n' "$*" $((SECONDS - t0)); }
bash deploy/install-deps.sh --image-tools
rc=0 build_s=0 test_s=0
if ((build)); then
  # The .debs: those of $SIGNPOST_BUILD_DIR (CI: build/ci, packaged just
  # before), else the release preset's, built if missing.
  build_dir=${SIGNPOST_BUILD_DIR:-$PWD/build/release}
  if ! compgen -G "$build_dir/packages/signpost-sync_*_amd64.deb" >/dev/null ||
    ! compgen -G "$build_dir/packages/signpost-kiosk_*_amd64.deb" >/dev/null; then
    [[ $build_dir == "$PWD/build/release" ]] || {
      echo "$0: no .debs in $build_dir/packages (cpack -G DEB in $build_dir makes them)" >&2
      exit 2
    }
    step "release .debs"
    cmake --preset release >/dev/null
    cmake --build --preset release -j "$(nproc)"
    (cd build/release && cpack -G DEB >/dev/null)
  fi
  if ((!ci)); then # CI runs the metrics test itself (scripts/run-tests.sh --all)
    step "metrics: node exporter + Prometheus"
    tests/deploy/test-metrics.sh || rc=1
  fi
  step "build the x86-64 image"
  t1=$SECONDS
  rm -rf build/image
  deploy/image/build-image.sh --board x86 --deb-dir "$build_dir/packages" --out build/image \
    --keep-raw --xz-level "${SIGNPOST_IMAGE_XZ_LEVEL:-0}"
  build_s=$((SECONDS - t1))
fi
if ((boot)); then
  compgen -G 'build/image/signpost-x86-*.img' >/dev/null || {
    echo "$0: no build/image/signpost-x86-*.img: build it first (--build-only, or no option)" >&2
    exit 2
  }
  step "boot tests under QEMU"
  t2=$SECONDS
  /usr/bin/python3 tests/image/test-image.py --image-dir build/image "${test_args[@]}" || rc=1
  test_s=$((SECONDS - t2))
  rm -f build/image/*.img
fi
echo "image: build ${build_s}s, QEMU tests ${test_s}s, all $((SECONDS - t0))s"
exit "$rc"
