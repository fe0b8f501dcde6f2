#!/usr/bin/env bash
# Installs everything Signpost needs to build, test and run, from Debian 12 /
# Raspberry Pi OS Bookworm packages only (amd64 and arm64). Idempotent: when
# every package is already present it changes nothing and needs no network.
#
#   deploy/install-deps.sh            build + test + run dependencies
#   deploy/install-deps.sh --runtime  only what a deployed kiosk needs
#   deploy/install-deps.sh --deploy-tools
#                                     build deps + what tests/deploy/ needs
#                                     (debootstrap, ansible-core, shellcheck,
#                                     systemd-nspawn)
#   deploy/install-deps.sh --image-tools
#                                     build deps + what deploy/image/ and
#                                     tests/image/ need (mmdebstrap, QEMU and
#                                     UEFI firmware, mtools, bmaptool...) and
#                                     the metrics test (Prometheus, node exporter)
#   deploy/install-deps.sh --metrics-tools
#                                     build deps + only what the metrics test needs
#   deploy/install-deps.sh --arm64    build deps + the arm64 cross toolchain,
#                                     qemu-user-static and the :arm64 -dev
#                                     libraries (scripts/cross-arm64.sh). Adds
#                                     the arm64 dpkg architecture if needed, and
#                                     refuses to go on if apt would remove any
#                                     installed package to make room.
set -euo pipefail

runtime=(
  libsdl2-2.0-0 libsqlite3-0 libcurl4 libsodium23 libqrencode4
  libespeak-ng1 espeak-ng-data libzstd1 libsystemd0 zlib1g libtomlplusplus3
  libical3  # content-sync: iCalendar feeds (RRULE); libicu72 below also maps time-zone names
  fonts-dejavu-core fonts-opendyslexic
  libicu72 libstemmer0d wbritish  # search: Unicode folding, stems, English words (spelling, usage privacy)
)
build=(
  build-essential cmake ninja-build pkg-config git
  libsqlite3-dev sqlite3 libsdl2-dev libimgui-dev libstb-dev
  libcurl4-openssl-dev libsodium-dev libqrencode-dev libespeak-ng-dev
  libzstd-dev libsystemd-dev nlohmann-json3-dev rapidjson-dev libtomlplusplus-dev zlib1g-dev openssl
  libicu-dev libstemmer-dev wbritish  # search (catalogue/src/text.h, spelling.h); ICU also content-sync's time zones
  libical-dev  # content-sync: iCalendar parsing and recurrence
  libgtest-dev libgmock-dev libbenchmark-dev libcpp-httplib-dev
  clang clang-format libclang-rt-14-dev gettext python3 shellcheck
  fonts-dejavu-core fonts-opendyslexic espeak-ng
  nginx-light minisign tinyproxy  # hub e2e, bundle signatures, a real proxy in tests
  chromium  # tests: screenshots of the usage report (headless); bench/chromium
  zbar-tools  # tests: zbarimg reads the kiosk's take-away QR codes off its screenshots
  xvfb      # tests: the kiosk's idle loop under a real X display; bench/chromium
)

deploy_tools=(debootstrap ansible-core shellcheck systemd systemd-container dpkg-dev)

# Building the flashable image (deploy/image/build-image.sh) and booting it
# under QEMU (tests/image/), and the Prometheus metrics test.
image_tools=(
  mmdebstrap arch-test qemu-user-static e2fsprogs dosfstools mtools fdisk xz-utils bmap-tools
  qemu-system-x86 qemu-system-arm qemu-utils ovmf qemu-efi-aarch64
  python3-pil sqlite3 jq curl prometheus prometheus-node-exporter
)
# The metrics test alone (tests/deploy/test-metrics.sh, run by CI as root).
metrics_tools=(jq curl prometheus prometheus-node-exporter)

# Cross-building for arm64: the host-side tools, then the target libraries
# (every one is Multi-Arch: same, so it installs beside its amd64 twin; apt
# may have to bring the amd64 twin up to the same version first).
# Benchmarks and fuzzers are not cross-built, so no libbenchmark-dev:arm64.
arm64_tools=(crossbuild-essential-arm64 qemu-user-static binfmt-support file)
arm64_libs=(
  libsqlite3-dev libsdl2-dev libimgui-dev libstb-dev libcurl4-openssl-dev
  libsodium-dev libqrencode-dev libespeak-ng-dev libzstd-dev libsystemd-dev
  libtomlplusplus-dev zlib1g-dev libgtest-dev libgmock-dev libcpp-httplib-dev
  libicu-dev libstemmer-dev
  libical3  # not libical-dev: its libdb-dev is not Multi-Arch (content-sync/CMakeLists.txt)
)

want=("${build[@]}")
if [[ "${1:-}" == "--runtime" ]]; then want=("${runtime[@]}"); fi
if [[ "${1:-}" == "--deploy-tools" ]]; then want=("${build[@]}" "${deploy_tools[@]}"); fi
if [[ "${1:-}" == "--image-tools" ]]; then want=("${build[@]}" "${image_tools[@]}"); fi
if [[ "${1:-}" == "--metrics-tools" ]]; then want=("${build[@]}" "${metrics_tools[@]}"); fi
arm64=0
if [[ "${1:-}" == "--arm64" ]]; then
  arm64=1
  want=("${build[@]}" "${arm64_tools[@]}" "${arm64_libs[@]/%/:arm64}")
fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#want[@]} packages already installed"
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ((arm64)) && ! dpkg --print-foreign-architectures | grep -qx arm64; then
  echo "install-deps: adding the arm64 dpkg architecture"
  $sudo dpkg --add-architecture arm64
fi
$sudo apt-get update -qq
if ((arm64)); then
  # A foreign -dev package that is not co-installable would make apt remove
  # its native twin (and whatever needs it). Never do that on a build machine.
  removals=$(apt-get install -s --no-install-recommends "${missing[@]}" | sed -n 's/^Remv \([^ ]*\).*/\1/p')
  if [[ -n $removals ]]; then
    echo "install-deps: installing the arm64 packages would REMOVE: ${removals//$'\n'/ }" >&2
    echo "install-deps: nothing installed; see docs/deploy.md (Cross-building for arm64)" >&2
    exit 1
  fi
fi
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
