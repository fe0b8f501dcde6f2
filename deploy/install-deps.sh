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
set -euo pipefail

runtime=(
  libsdl2-2.0-0 libsqlite3-0 libcurl4 libsodium23 libqrencode4
  libespeak-ng1 espeak-ng-data libzstd1 libsystemd0 zlib1g libtomlplusplus3
  fonts-dejavu-core fonts-opendyslexic
)
build=(
  build-essential cmake ninja-build pkg-config git
  libsqlite3-dev sqlite3 libsdl2-dev libimgui-dev libstb-dev
  libcurl4-openssl-dev libsodium-dev libqrencode-dev libespeak-ng-dev
  libzstd-dev libsystemd-dev nlohmann-json3-dev libtomlplusplus-dev zlib1g-dev openssl
  libgtest-dev libgmock-dev libbenchmark-dev libcpp-httplib-dev
  clang clang-format libclang-rt-14-dev gettext python3 shellcheck
  fonts-dejavu-core fonts-opendyslexic espeak-ng
  nginx-light minisign tinyproxy  # hub e2e, bundle signatures, a real proxy in tests
  chromium  # tests: screenshots of the usage report (headless)
)

deploy_tools=(debootstrap ansible-core shellcheck systemd systemd-container dpkg-dev)

want=("${build[@]}")
if [[ "${1:-}" == "--runtime" ]]; then want=("${runtime[@]}"); fi
if [[ "${1:-}" == "--deploy-tools" ]]; then want=("${build[@]}" "${deploy_tools[@]}"); fi

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
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
