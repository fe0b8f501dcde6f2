#!/usr/bin/env bash
# The image tests as CI is to run them (scripts/run-tests.sh --all, as root; not wired in yet):
# build the x86-64 image once from the release .debs (made by the deploy
# tests just before), then boot it under QEMU for every scenario of
# tests/image/test-image.py, and the metrics test against a real
# Prometheus. Prints how long each step took. Nothing is cached between
# runs: mmdebstrap fetches from Debian's archive each time.
#
#   sudo tests/image/run-ci.sh [--ci] [--cuts N] [--first-boot-cuts N]
#
# --ci: the smallest useful subset (tests/image/README.md says what runs
# where and how long each part takes): the image build, the first boot
# (first frame, the home screen by screendump), one power cut during a
# sync, and the broken signpost.toml; no power cut during first boot, so
# no signpost-doctor (it runs after that cut, on the sample catalogue);
# and not the metrics test (CI runs it on its own).
set -euo pipefail
cd "$(dirname "$0")/../.."
test_args=() ci=0
for a in "$@"; do
  if [[ $a == --ci ]]; then ci=1 test_args+=(--only "first,sync,bad" --cuts 1); else test_args+=("$a"); fi
done
t0=$SECONDS
step() { printf '== image: %s (%ds so far)\n' "$*" $((SECONDS - t0)); }
bash deploy/install-deps.sh --image-tools
if ! compgen -G 'build/release/packages/signpost-sync_*_amd64.deb' >/dev/null ||
  ! compgen -G 'build/release/packages/signpost-kiosk_*_amd64.deb' >/dev/null; then
  step "release .debs"
  cmake --preset release >/dev/null
  cmake --build --preset release -j "$(nproc)"
  (cd build/release && cpack -G DEB >/dev/null)
fi
rc=0
if ((!ci)); then # CI runs the metrics test itself (scripts/run-tests.sh --all)
  step "metrics: node exporter + Prometheus"
  tests/deploy/test-metrics.sh || rc=1
fi
step "build the x86-64 image"
t1=$SECONDS
rm -rf build/image
deploy/image/build-image.sh --board x86 --deb-dir build/release/packages --out build/image \
  --keep-raw --xz-level "${SIGNPOST_IMAGE_XZ_LEVEL:-1}"
build_s=$((SECONDS - t1))
step "boot tests under QEMU"
t2=$SECONDS
/usr/bin/python3 tests/image/test-image.py --image-dir build/image "${test_args[@]}" || rc=1
test_s=$((SECONDS - t2))
rm -f build/image/*.img
echo "image: build ${build_s}s, QEMU tests ${test_s}s, all $((SECONDS - t0))s"
exit "$rc"
